package dev.parley.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What the generator reads from the outside world: /proc and the Prometheus text. */
class ReadersTest {

    @Test
    void procStatCountsFieldsAfterTheCommandNameWhichMayHoldSpacesAndParentheses() {
        // proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String stat = "4242 (java (relay) x) S 1 4242 4242 0 -1 4194304 1000 0 0 0 1234 567 0 0 20 0 40 0";
        assertThat(ProcessStats.parseStatTicks(stat)).isEqualTo(1234 + 567);
        assertThat(ProcessStats.parseStatTicks("garbage")).isEqualTo(-1);
        assertThat(ProcessStats.parseStatTicks("1 (x) S 1 2")).isEqualTo(-1);
    }

    @Test
    void hostCpuCountsIdleAndIowaitAsNotBusy() {
        // cpu user nice system idle iowait irq softirq steal guest guest_nice
        HostCpu.Reading r = HostCpu.parse("cpu  100 5 50 800 20 1 4 7 3 0");
        assertThat(r.totalTicks()).isEqualTo(100 + 5 + 50 + 800 + 20 + 1 + 4 + 7);
        assertThat(r.busyTicks()).isEqualTo(100 + 5 + 50 + 1 + 4 + 7);
        assertThat(r.softirqTicks()).isEqualTo(4);
        assertThat(r.stealTicks()).isEqualTo(7);
        assertThat(HostCpu.parse("intr 1 2 3")).isEqualTo(HostCpu.Reading.UNKNOWN);
        assertThat(HostCpu.read().totalTicks()).isPositive();
    }

    @Test
    void ourOwnProcessIsReadable() throws InterruptedException {
        ProcessStats self = new ProcessStats(ProcessHandle.current().pid());
        assertThat(self.available()).isTrue();
        assertThat(self.cpuNanos()).isPositive();
        assertThat(self.residentBytes()).isPositive();
        assertThat(self.threads()).isPositive();
        // The thread spins until its CPU time has been read (5 s at most), so the read never races its end.
        AtomicBoolean read = new AtomicBoolean();
        Thread named = new Thread(() -> {
            long until = System.nanoTime() + 5_000_000_000L;
            while (!read.get() && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }, "readers-test-spin");
        named.start();
        try {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
                    .until(() -> self.threadCpuNanos("readers-test-spin") >= 0);
        } finally {
            read.set(true);
            named.join();
        }
        assertThat(self.threadCpuNanos("no-such-thread")).isEqualTo(-1);
    }

    @Test
    void udpDropsAndReceiveQueuesAreReadForLoopbackSocketsOnTheGivenPorts() {
        List<String> table = List.of(
                "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode "
                        + "ref pointer drops",
                "  728: 0100007F:2710 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000 0 153338 2 "
                        + "000000008ddd24dc 17",
                " 1506: 0100007F:2711 00000000:0000 07 00000000:00000300 00:00000000 00000000  1000 0 149779 2 "
                        + "000000006e5a4111 5",
                " 1507: 020200C0:2710 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000 0 149780 2 "
                        + "000000006e5a4112 99",
                // /proc/net/udp6: a Java dual-stack socket bound to 127.0.0.1
                "  900: 0000000000000000FFFF00000100007F:2712 00000000000000000000000000000000:0000 07 "
                        + "00000000:00000100 00:00000000 00000000  1000 0 149781 2 000000006e5a4113 3");
        assertThat(UdpSockets.parse(table, Set.of(10000))).isEqualTo(new UdpSockets.Stats(17, 0, 0));
        assertThat(UdpSockets.parse(table, Set.of(10000, 10001))).isEqualTo(new UdpSockets.Stats(22, 0x300, 0x300));
        assertThat(UdpSockets.parse(table, Set.of(9))).isEqualTo(new UdpSockets.Stats(0, 0, 0));
        assertThat(UdpSockets.parse(table, Set.of(10002, 10001))).isEqualTo(new UdpSockets.Stats(8, 0x400, 0x300));
    }

    @Test
    void aJavaSocketOnLoopbackIsFoundWithWhatWaitsInItsQueue() throws IOException {
        try (DatagramChannel receiver = DatagramChannel.open();
             DatagramChannel sender = DatagramChannel.open()) {
            receiver.bind(new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
            for (int i = 0; i < 3; i++) {
                sender.send(ByteBuffer.wrap(new byte[200]), to);
            }
            UdpSockets.Stats stats = new UdpSockets().read(Set.of(to.getPort()));
            assertThat(stats.receiveQueueBytes()).as("datagrams waiting in the receive queue").isPositive();
            assertThat(stats.drops()).isZero();
        }
    }

    @Test
    void prometheusSamplesAreSummedOverMatchingLabels() {
        PrometheusText text = PrometheusText.parse("""
                # HELP parley_relay_packets_total Datagrams sent
                # TYPE parley_relay_packets_total counter
                parley_relay_packets_total{direction="in"} 1500.0
                parley_relay_packets_total{direction="out"} 4.2E7
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1000.0
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2000.0
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9999.0
                jvm_gc_pause_seconds_max{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young"} 0.012
                jvm_gc_pause_seconds_max{action="end of major GC",cause="x \\"quoted\\", y",gc="G1 Old"} 0.5
                parley_relay_drops_total{reason="srtp_auth"} 3.0
                parley_relay_drops_total{reason="unknown_ssrc"} 0.0
                process_uptime_seconds 12.5
                """);
        assertThat(text.sum("parley_relay_packets_total", Map.of("direction", "out"))).isEqualTo(4.2e7);
        assertThat(text.sum("jvm_memory_used_bytes", Map.of("area", "heap"))).isEqualTo(3000.0);
        assertThat(text.max("jvm_gc_pause_seconds_max")).isEqualTo(0.5);
        assertThat(text.sum("process_uptime_seconds")).isEqualTo(12.5);
        assertThat(text.sum("no_such_metric")).isNaN();
        assertThat(text.byLabel("parley_relay_drops_total", "reason"))
                .containsExactly(Map.entry("srtp_auth", 3.0), Map.entry("unknown_ssrc", 0.0));
    }
}
