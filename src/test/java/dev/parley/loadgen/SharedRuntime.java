package dev.parley.loadgen;

import dev.parley.relay.client.LatencyHistogram;
import dev.parley.relay.client.MediaListener;
import dev.parley.relay.client.ReceiveLoop;
import dev.parley.relay.client.WebRtcEndpoint;
import dev.parley.relay.dtls.DtlsCertificate;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every synthetic participant shares, so the generator's thread count does not grow with participants: one HTTP
 * client (HTTP and WebSockets) on a small pool, one scheduler that paces all media and runs ICE and RTCP timers, a few
 * receive loops that read every participant's socket (participants are dealt to them in turn; with none, each
 * endpoint reads with a thread of its own), one pool for joins (the ICE and DTLS handshakes block), one DTLS
 * certificate, and the latency histogram of the current measurement window.
 */
final class SharedRuntime implements AutoCloseable {

    private final ExecutorService httpExecutor;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final ExecutorService joins;
    private final ReceiveLoop[] receiveLoops;
    private final AtomicInteger nextReceiveLoop = new AtomicInteger();
    private final DtlsCertificate certificate;
    private final WindowLatency latency = new WindowLatency();

    SharedRuntime(int senderThreads, int receiveThreads, int joinParallelism) throws IOException {
        this.httpExecutor = Executors.newFixedThreadPool(4, daemon("loadgen-http"));
        this.http = HttpClient.newBuilder().executor(httpExecutor).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(senderThreads, daemon("loadgen-pacer"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.timer = scheduler;
        this.joins = Executors.newFixedThreadPool(joinParallelism, daemon("loadgen-join"));
        this.receiveLoops = new ReceiveLoop[receiveThreads];
        for (int i = 0; i < receiveThreads; i++) {
            receiveLoops[i] = ReceiveLoop.start("loadgen-receive-" + (i + 1));
        }
        this.certificate = DtlsCertificate.generate();
        WebRtcEndpoint.warmUp();
    }

    HttpClient http() {
        return http;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /** The loop the next participant reads its socket on, or null for a receive thread of its own. */
    ReceiveLoop nextReceiveLoop() {
        if (receiveLoops.length == 0) {
            return null;
        }
        return receiveLoops[Math.floorMod(nextReceiveLoop.getAndIncrement(), receiveLoops.length)];
    }

    ExecutorService joins() {
        return joins;
    }

    DtlsCertificate certificate() {
        return certificate;
    }

    WindowLatency latency() {
        return latency;
    }

    @Override
    public void close() {
        joins.shutdownNow();
        timer.shutdownNow();
        httpExecutor.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ReceiveLoop loop : receiveLoops) {
            loop.close();
        }
    }

    static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Records the probes' latency into a histogram while a measurement window is open, from endpoints' receive threads
     * (lock-free, allocation-free). A participant's own recorder also feeds the run's, so the window has one
     * histogram per receiver and one over all.
     */
    static final class WindowLatency implements MediaListener {
        private final WindowLatency parent;
        private volatile boolean recording;
        private volatile LatencyHistogram histogram = new LatencyHistogram();

        WindowLatency() {
            this(null);
        }

        WindowLatency(WindowLatency parent) {
            this.parent = parent;
        }

        @Override
        public void onRtp(int ssrc, int payloadType, int sequenceNumber, int payloadLength, boolean keyframe,
                long probeSequence, long latencyNanos) {
            if (recording && latencyNanos >= 0) {
                histogram.record(latencyNanos);
                if (parent != null) {
                    parent.onRtp(ssrc, payloadType, sequenceNumber, payloadLength, keyframe, probeSequence,
                            latencyNanos);
                }
            }
        }

        /** Starts a window with an empty histogram. */
        void start() {
            histogram = new LatencyHistogram();
            recording = true;
        }

        /** Ends the window and returns what it recorded. */
        LatencyHistogram stop() {
            recording = false;
            return histogram;
        }
    }
}
