package dev.parley.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RelayLoopThreadTest {

    /** Netty 4.2 pools its write-queue entries and allocator caches only on such a thread (docs/performance.md). */
    @Test
    void theLoopRunsOnAThreadThatKeepsNettysPerThreadPools() throws Exception {
        RelayLoop loop = new RelayLoop(RelayConfig.loopback());
        try {
            Thread thread = loop.call(Thread::currentThread).get(10, TimeUnit.SECONDS);
            boolean pooled = loop.call(FastThreadLocalThread::currentThreadWillCleanupFastThreadLocals)
                    .get(10, TimeUnit.SECONDS);

            assertThat(thread.getName()).isEqualTo("parley-relay-loop");
            assertThat(thread.isDaemon()).isTrue();
            assertThat(pooled).as("a Netty thread that clears its pools when it ends").isTrue();
        } finally {
            loop.close();
        }
    }
}
