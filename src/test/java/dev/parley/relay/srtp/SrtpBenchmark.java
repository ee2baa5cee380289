package dev.parley.relay.srtp;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SRTP protect and unprotect of one 1,200-byte RTP packet through {@link SrtpSession}, per profile. Unprotect runs in
 * batches of distinct, pre-protected packets (a packet can be unprotected only once: replay protection is on), so it
 * is measured single-shot per batch; divide by the batch size for the per-packet time.
 *
 * <p>{@code aes} picks jitsi-srtp's AES implementation (see {@link AesImplementation}): "OpenSSL" is its JNI back end
 * (libjitsisrtp, which Parley uses whenever it loads, as it does on Debian 12 with OpenSSL 3), "SunJCE" the JDK's.
 * HMAC-SHA1 for the AES-CM profile goes through OpenSSL whenever the back end loads, whichever AES is chosen. Each
 * parameter combination runs in its own JVM fork, so the process-wide choice holds for the whole trial.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SrtpBenchmark {

    static final int PACKET = 1200;
    static final int BATCH = 40_000;

    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public SrtpProfile profile;

    @Param({"OpenSSL", "SunJCE"})
    public String aes;

    private SrtpSession sender;
    private SrtpSession receiver;
    private SrtpKeyingMaterial senderKeys;
    private SrtpKeyingMaterial receiverKeys;
    private final PacketBuffer buffer = PacketBuffer.forPackets(PACKET + 64);
    private final byte[] template = new byte[PACKET];
    private byte[][] protectedPackets;
    private byte[][] workPackets;
    private int[] protectedLengths;
    private int sequence;
    private int next;

    @Setup(Level.Trial)
    public void keys() {
        System.setProperty(AesImplementation.PROPERTY, aes); // read once, when SrtpSession is first used
        SecureRandom random = new SecureRandom();
        byte[] exported = new byte[profile.keyingMaterialLength()];
        random.nextBytes(exported);
        senderKeys = SrtpKeyingMaterial.fromDtlsExport(profile, exported, true);
        receiverKeys = SrtpKeyingMaterial.fromDtlsExport(profile, exported, false);
        random.nextBytes(template);
        template[0] = (byte) 0x80;
        template[1] = 96;
        template[8] = 0x12;
        template[9] = 0x34;
        template[10] = 0x56;
        template[11] = 0x78;
        sender = new SrtpSession(senderKeys);
        protectBatch();
    }

    /** Protects one batch once; every iteration unprotects copies of it with a fresh receiver (fresh replay state). */
    private void protectBatch() {
        SrtpSession batchSender = new SrtpSession(senderKeys);
        protectedPackets = new byte[BATCH][];
        workPackets = new byte[BATCH][];
        protectedLengths = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            template[2] = (byte) (i >> 8);
            template[3] = (byte) i;
            buffer.copyFrom(template, 0, PACKET);
            if (batchSender.protectRtp(buffer) != SrtpStatus.OK) {
                throw new IllegalStateException("protect failed");
            }
            protectedPackets[i] = java.util.Arrays.copyOfRange(buffer.buffer(), buffer.offset(),
                    buffer.offset() + buffer.length());
            workPackets[i] = new byte[buffer.length()];
            protectedLengths[i] = buffer.length();
        }
        batchSender.close();
    }

    /**
     * Runs inside JMH's allocation window, so it allocates nothing per packet: the copies go into arrays made once, and
     * the gc profiler's B/op for unprotect is the unprotect's own (plus one receiver session spread over the batch).
     */
    @Setup(Level.Iteration)
    public void batch() {
        receiver = new SrtpSession(receiverKeys);
        for (int i = 0; i < BATCH; i++) {
            System.arraycopy(protectedPackets[i], 0, workPackets[i], 0, protectedLengths[i]);
        }
        next = 0;
    }

    @TearDown(Level.Iteration)
    public void closeReceiver() {
        receiver.close();
    }

    /** Copy of the packet into the work buffer plus protect (the relay copies each outgoing packet too). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    public SrtpStatus protect() {
        sequence++;
        template[2] = (byte) (sequence >> 8);
        template[3] = (byte) sequence;
        buffer.copyFrom(template, 0, PACKET);
        return sender.protectRtp(buffer);
    }

    /** Unprotect (authenticate, replay-check, decrypt) in place: one batch of distinct packets per iteration. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 3, batchSize = BATCH)
    @Measurement(iterations = 5, batchSize = BATCH)
    public SrtpStatus unprotect() {
        int i = next++;
        buffer.wrap(workPackets[i], 0, protectedLengths[i]);
        SrtpStatus status = receiver.unprotectRtp(buffer);
        if (status != SrtpStatus.OK) {
            throw new IllegalStateException("unprotect failed: " + status);
        }
        return status;
    }
}
