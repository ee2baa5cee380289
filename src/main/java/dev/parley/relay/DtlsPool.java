package dev.parley.relay;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads DTLS handshakes run on (BouncyCastle's handshake blocks its thread until the flight arrives): daemon
 * threads named {@code parley-dtls-N}, idle ones ending after 30 s, at most 1,024 handshakes waiting.
 */
final class DtlsPool {

    private DtlsPool() {
    }

    static ExecutorService create(int threads) {
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(1024), r -> {
                    Thread t = new Thread(r, "parley-dtls-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
