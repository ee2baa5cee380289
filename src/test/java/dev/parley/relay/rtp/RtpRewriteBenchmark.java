package dev.parley.relay.rtp;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The header work a consumer does on its copy of a packet: copy 1,200 bytes, parse, rewrite SSRC and payload type,
 * and (for clients with their own extension ids) remap the one-byte header extensions.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RtpRewriteBenchmark {

    private final byte[] source = new byte[1200];
    private final byte[] target = new byte[1220];
    private final RtpPacket packet = new RtpPacket();
    private final byte[] extensionMap = new byte[16];

    @Setup
    public void packet() {
        for (int i = 0; i < source.length; i++) {
            source[i] = (byte) i;
        }
        int header = new RtpHeaderWriter().begin(source, 0, source.length, 96, false, 7, 90000, 0x12345678)
                .addExtension(1, 0x55, 1)
                .addExtension(3, 0x01, 1)
                .finish();
        if (header < 0) {
            throw new IllegalStateException("header did not fit");
        }
        extensionMap[1] = 1;
        extensionMap[3] = 4;
    }

    @Benchmark
    public int rewriteSsrcAndPayloadType() {
        System.arraycopy(source, 0, target, 0, source.length);
        packet.wrap(target, 0, source.length);
        packet.setSsrc(0x0badf00d);
        packet.setPayloadType(100);
        return packet.sequenceNumber();
    }

    @Benchmark
    public boolean rewriteWithExtensionRemap() {
        System.arraycopy(source, 0, target, 0, source.length);
        packet.wrap(target, 0, source.length);
        packet.setSsrc(0x0badf00d);
        packet.setPayloadType(100);
        return packet.remapExtensionIds(extensionMap);
    }
}
