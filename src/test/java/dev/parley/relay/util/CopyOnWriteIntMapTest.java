package dev.parley.relay.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CopyOnWriteIntMapTest {

    @Test
    void emptyMapHasNothing() {
        CopyOnWriteIntMap<String> map = new CopyOnWriteIntMap<>();
        assertThat(map.get(0)).isNull();
        assertThat(map.get(-1)).isNull();
        assertThat(map.size()).isZero();
        assertThat(map.isEmpty()).isTrue();
    }

    @Test
    void putGetOverwriteRemove() {
        CopyOnWriteIntMap<String> map = new CopyOnWriteIntMap<>();
        assertThat(map.put(0, "zero")).isNull();
        assertThat(map.put(-1, "minus one")).isNull();
        assertThat(map.put(0xCAFEBABE, "cafebabe")).isNull();
        assertThat(map.get(0)).isEqualTo("zero");
        assertThat(map.get(-1)).isEqualTo("minus one");
        assertThat(map.get(0xCAFEBABE)).isEqualTo("cafebabe");
        assertThat(map.size()).isEqualTo(3);

        assertThat(map.put(0, "nil")).isEqualTo("zero");
        assertThat(map.get(0)).isEqualTo("nil");
        assertThat(map.size()).isEqualTo(3);

        assertThat(map.remove(-1)).isEqualTo("minus one");
        assertThat(map.remove(-1)).isNull();
        assertThat(map.get(-1)).isNull();
        assertThat(map.size()).isEqualTo(2);

        map.clear();
        assertThat(map.isEmpty()).isTrue();
        assertThat(map.get(0xCAFEBABE)).isNull();
    }

    @Test
    void putIfAbsentKeepsTheFirstValue() {
        CopyOnWriteIntMap<String> map = new CopyOnWriteIntMap<>();
        assertThat(map.putIfAbsent(7, "first")).isEqualTo("first");
        assertThat(map.putIfAbsent(7, "second")).isEqualTo("first");
        assertThat(map.get(7)).isEqualTo("first");
    }

    @Test
    void nullValuesAreRejected() {
        CopyOnWriteIntMap<String> map = new CopyOnWriteIntMap<>();
        assertThatThrownBy(() -> map.put(1, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void keysThatCollideAfterMaskingAreAllFound() {
        CopyOnWriteIntMap<Integer> map = new CopyOnWriteIntMap<>();
        // Multiples of a large power of two share their low bits; the mixer must still spread them, and
        // whatever collides must be probed past.
        for (int i = 0; i < 200; i++) {
            map.put(i << 20, i);
        }
        for (int i = 0; i < 200; i++) {
            assertThat(map.get(i << 20)).isEqualTo(i);
        }
        for (int i = 0; i < 200; i += 2) {
            map.remove(i << 20);
        }
        for (int i = 0; i < 200; i++) {
            assertThat(map.get(i << 20)).isEqualTo(i % 2 == 0 ? null : i);
        }
        assertThat(map.size()).isEqualTo(100);
    }

    @Test
    void behavesLikeHashMapUnderRandomOperations() {
        SplittableRandom random = new SplittableRandom(0x5EED);
        CopyOnWriteIntMap<Integer> map = new CopyOnWriteIntMap<>();
        Map<Integer, Integer> reference = new HashMap<>();
        for (int step = 0; step < 20_000; step++) {
            // A small key space so removes and overwrites hit existing keys often.
            int key = random.nextInt(64) - 32 + (random.nextBoolean() ? 0 : Integer.MIN_VALUE);
            switch (random.nextInt(4)) {
                case 0, 1 -> assertThat(map.put(key, step)).isEqualTo(reference.put(key, step));
                case 2 -> assertThat(map.remove(key)).isEqualTo(reference.remove(key));
                default -> assertThat(map.get(key)).isEqualTo(reference.get(key));
            }
            assertThat(map.size()).isEqualTo(reference.size());
        }
        Map<Integer, Integer> seen = new HashMap<>();
        map.forEach((k, v) -> seen.put(k, v));
        assertThat(seen).isEqualTo(reference);
    }

    @Test
    void readersNeverSeeATornTableWhileAWriterWorks() throws Exception {
        CopyOnWriteIntMap<Integer> map = new CopyOnWriteIntMap<>();
        for (int i = 0; i < 16; i++) {
            map.put(i, i);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                for (int i = 0; i < 16; i++) {
                    Integer value = map.get(i);
                    if (value == null || value != i) {
                        failure.set("key " + i + " read as " + value);
                        return;
                    }
                }
            }
        });
        reader.start();
        // The writer adds and removes other keys, resizing the table back and forth.
        for (int round = 0; round < 2_000; round++) {
            for (int k = 100; k < 140; k++) {
                map.put(k, k);
            }
            for (int k = 100; k < 140; k++) {
                map.remove(k);
            }
        }
        stop.set(true);
        reader.join(10_000);
        assertThat(failure.get()).isNull();
        assertThat(map.size()).isEqualTo(16);
    }
}
