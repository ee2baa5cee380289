package dev.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Password hashes at once are bounded by the heap they take, and one that cannot get its turn says so. */
class BoundedPasswordEncoderTest {

    private static final int DEFAULT_MEMORY_KIB = 19456;

    @Test
    void theBoundIsWhatAnEighthOfTheHeapHoldsAtLeastOneAndAtMostTwoPerCore() {
        assertThat(BoundedPasswordEncoder.boundFor(512L << 20, DEFAULT_MEMORY_KIB, 2)).as("README's 512 MiB").isEqualTo(3);
        assertThat(BoundedPasswordEncoder.boundFor(384L << 20, DEFAULT_MEMORY_KIB, 2)).isEqualTo(2);
        assertThat(BoundedPasswordEncoder.boundFor(64L << 20, DEFAULT_MEMORY_KIB, 2)).as("never none").isEqualTo(1);
        assertThat(BoundedPasswordEncoder.boundFor(8L << 30, DEFAULT_MEMORY_KIB, 16)).as("two per core").isEqualTo(32);
        assertThat(BoundedPasswordEncoder.boundFor(8L << 30, DEFAULT_MEMORY_KIB, 2)).isEqualTo(4);
        assertThat(BoundedPasswordEncoder.boundFor(512L << 20, 1024, 2)).as("the tests' cost").isEqualTo(4);
    }

    @Test
    void noMoreThanTheBoundHashAtOnceAndEveryCheckIsAnswered() throws Exception {
        Argon2PasswordEncoder argon2 = new Argon2PasswordEncoder(16, 32, 1, 4096, 1);
        String hash = argon2.encode("Quartz-Pelican-Harbor-58");
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        PasswordEncoder watched = new Watched(argon2, running, most, null);
        BoundedPasswordEncoder bounded = new BoundedPasswordEncoder(watched, 2, Duration.ofSeconds(60));

        ExecutorService threads = Executors.newFixedThreadPool(12);
        try {
            List<Future<Boolean>> checks = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                String given = i % 2 == 0 ? "Quartz-Pelican-Harbor-58" : "wrong-" + i;
                checks.add(threads.submit(() -> bounded.matches(given, hash)));
            }
            for (int i = 0; i < checks.size(); i++) {
                assertThat(checks.get(i).get(60, TimeUnit.SECONDS)).as("check %d", i).isEqualTo(i % 2 == 0);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(most.get()).as("hashes at once").isBetween(1, 2);
        assertThat(running.get()).isZero();
    }

    @Test
    void aHashThatCannotGetItsTurnInTimeIsToldBusyAndTheNextOneRunsOnceThereIsRoom() throws Exception {
        Argon2PasswordEncoder argon2 = new Argon2PasswordEncoder(16, 32, 1, 64, 1);
        String stored = argon2.encode("stored");
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PasswordEncoder blocking = new Watched(argon2, new AtomicInteger(),
                new AtomicInteger(), () -> {
                    holding.countDown();
                    await(release);
                });
        BoundedPasswordEncoder bounded = new BoundedPasswordEncoder(blocking, 1, Duration.ofMillis(200));
        Thread holder = new Thread(() -> bounded.encode("first"));
        holder.start();
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> bounded.matches("second", stored)).isInstanceOf(PasswordHashingBusy.class)
                .extracting(e -> ((PasswordHashingBusy) e).messageKey()).isEqualTo("password.busy");
        assertThatThrownBy(() -> bounded.encode("third")).isInstanceOf(PasswordHashingBusy.class);
        assertThat(bounded.upgradeEncoding(stored))
                .as("reads the stored parameters without a turn").isFalse();

        release.countDown();
        holder.join(10_000);
        assertThat(bounded.encode("fourth")).as("the turn was given back").startsWith("$argon2id$");
    }

    @Test
    void pastEightWaitingForEachHashOneMoreIsToldBusyAtOnce() throws Exception {
        Argon2PasswordEncoder argon2 = new Argon2PasswordEncoder(16, 32, 1, 64, 1);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        PasswordEncoder blocking = new Watched(argon2, new AtomicInteger(), new AtomicInteger(), () -> {
            if (calls.getAndIncrement() == 0) {
                holding.countDown();
                await(release);
            }
        });
        BoundedPasswordEncoder bounded = new BoundedPasswordEncoder(blocking, 1, Duration.ofSeconds(60));
        ExecutorService threads = Executors.newFixedThreadPool(BoundedPasswordEncoder.WAITING_PER_HASH + 2);
        try {
            threads.submit(() -> bounded.encode("holds the turn"));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<String>> waiting = new ArrayList<>();
            for (int i = 0; i < BoundedPasswordEncoder.WAITING_PER_HASH; i++) {
                String password = "waits-" + i;
                waiting.add(threads.submit(() -> bounded.encode(password)));
            }
            for (int i = 0; i < 1000 && bounded.waiting() < BoundedPasswordEncoder.WAITING_PER_HASH; i++) {
                Thread.sleep(10);
            }
            assertThat(bounded.waiting()).isEqualTo(BoundedPasswordEncoder.WAITING_PER_HASH);

            Future<String> oneMore = threads.submit(() -> bounded.encode("one more"));
            assertThatThrownBy(() -> oneMore.get(30, TimeUnit.SECONDS)).as("told at once, not after 60 s of waiting")
                    .hasCauseInstanceOf(PasswordHashingBusy.class);

            release.countDown();
            for (Future<String> waiter : waiting) {
                assertThat(waiter.get(30, TimeUnit.SECONDS)).as("those waiting had their turn").startsWith("$argon2id$");
            }
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void aBoundOfNoneIsRefused() {
        assertThatThrownBy(() -> new BoundedPasswordEncoder(new Argon2PasswordEncoder(16, 32, 1, 64, 1), 0,
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The real hash, counting how many run at once; an optional step runs inside it first. */
    private record Watched(PasswordEncoder hashes, AtomicInteger running, AtomicInteger most, Runnable inside)
            implements PasswordEncoder {

        @Override
        public String encode(CharSequence rawPassword) {
            enter();
            try {
                return hashes.encode(rawPassword);
            } finally {
                running.decrementAndGet();
            }
        }

        @Override
        public boolean matches(CharSequence rawPassword, String encodedPassword) {
            enter();
            try {
                return hashes.matches(rawPassword, encodedPassword);
            } finally {
                running.decrementAndGet();
            }
        }

        @Override
        public boolean upgradeEncoding(String encodedPassword) {
            return hashes.upgradeEncoding(encodedPassword);
        }

        private void enter() {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            if (inside != null) {
                inside.run();
            }
        }
    }
}
