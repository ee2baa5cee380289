package dev.parley.relay.ice;

import dev.parley.relay.stats.TrafficCounters;
import dev.parley.relay.stun.IceCheck;
import dev.parley.relay.stun.StunBindingWriter;
import dev.parley.relay.packet.DatagramSender;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
 * Handling one ICE connectivity check as the relay does: parse, find the transport by ufrag, verify
 * MESSAGE-INTEGRITY and FINGERPRINT, write the success response (its own HMAC and CRC) and hand it to the socket.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StunBenchmark {

    private IceLiteResponder responder;
    private byte[] request;
    private final InetSocketAddress from = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);
    private long responses;
    private final DatagramSender sender = (buf, off, len, to) -> {
        responses += len;
        return true;
    };

    @Setup
    public void transport() {
        IceCredentials credentials = IceCredentials.random();
        IceConsent consent = new IceConsent(credentials, new TrafficCounters(), address -> { }, System.nanoTime(),
                Long.MAX_VALUE / 4);
        Map<String, IceConsent> byUfrag = Map.of(credentials.ufrag(), consent);
        responder = new IceLiteResponder(byUfrag::get, SourceFilter.of(List.of("127.0.0.0/8")), new TrafficCounters());
        request = new StunBindingWriter().request(new byte[12],
                IceCheck.controlling(credentials.ufrag(), "abcd", 1853824767L, 42L, true),
                credentials.password().getBytes(StandardCharsets.UTF_8));
    }

    @Benchmark
    public long answerBindingRequest() {
        responder.onStun(request, 0, request.length, from, System.nanoTime(), sender);
        return responses;
    }
}
