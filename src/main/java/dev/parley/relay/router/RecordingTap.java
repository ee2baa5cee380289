package dev.parley.relay.router;

import dev.parley.relay.transport.LoopContext;
import dev.parley.relay.util.Bytes;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.BiPredicate;

/**
 * Copies one producer's packets, decrypted, as plain RTP to a recorder listening on loopback: the best layer the
 * publisher sends, as one continuous stream (its own SSRC, and sequence numbers, timestamps and picture ids that carry
 * on across layer switches, as for a subscriber), with packets the publisher repaired sent late in the same stream so
 * the recorder's jitter buffer puts them back in place. Video starts, and switches layer, on a key frame, asked for
 * when the tap starts and every second while it waits. Loop thread only; nothing is allocated per packet.
 */
public final class RecordingTap {

    /** How often the tap looks again for the best layer the publisher sends. */
    static final long LAYER_CHECK_NANOS = 500_000_000L;
    /** While waiting for a key frame of the wanted layer, one is asked for this often. */
    static final long KEYFRAME_RETRY_NANOS = 1_000_000_000L;

    private final Producer producer;
    private final InetSocketAddress target;
    private final BiPredicate<ByteBuffer, InetSocketAddress> sender;
    private final StreamRewriter rewriter = new StreamRewriter();
    private final byte[] scratch = new byte[LoopContext.MAX_PACKET];
    private final ByteBuffer datagram = ByteBuffer.wrap(scratch);
    private final boolean video;
    private int current = -1;
    private int wanted;
    private long nextLayerCheckNanos = Long.MIN_VALUE / 2;
    private long keyframeAskedNanos = Long.MIN_VALUE / 2;
    private long packets;
    private long refused;
    private boolean closed;

    RecordingTap(Producer producer, InetSocketAddress target, BiPredicate<ByteBuffer, InetSocketAddress> sender) {
        this.producer = producer;
        this.target = target;
        this.sender = sender;
        this.video = producer.kind() == MediaKind.VIDEO;
    }

    /** A packet of one of the producer's layers, as normalised by the producer (canonical payload type). */
    void onPacket(Layer layer, byte[] src, int off, int len, int payloadOffset, int payloadLength, boolean keyframe,
                  LoopContext ctx) {
        if (closed) {
            return;
        }
        long now = ctx.nowNanos();
        int index = layer.index();
        if (video && now - nextLayerCheckNanos >= 0) {
            nextLayerCheckNanos = now + LAYER_CHECK_NANOS;
            wanted = bestLayer(now, index);
        }
        if (index != current) {
            if (video && (index != wanted || !keyframe)) {
                if (index == wanted && now - keyframeAskedNanos >= KEYFRAME_RETRY_NANOS) {
                    keyframeAskedNanos = now;
                    producer.requestKeyframe(layer, ctx);
                }
                return;
            }
            if (!video && current >= 0) {
                return;
            }
            long aligned = rewriter.isStarted()
                    ? rewriter.alignedTimestampDelta(producer.layer(current), layer, producer.codec().clockRate())
                    : Long.MIN_VALUE;
            rewriter.begin(index, src, off, off + payloadOffset, payloadLength, producer.rewritesPictureIds(),
                    producer.isVp9(), aligned, producer.codec().clockRate(), now);
            current = index;
        } else if (!rewriter.accepts(Bytes.uint16(src, off + 2))) {
            return; // from before the switch: its numbers belong to the previous segment
        }
        write(src, off, len, payloadOffset, payloadLength, now);
    }

    /**
     * A packet the publisher sent again (RTX) that the relay had lost: written late, under the number the recorder
     * expects for it, if the stream already passed it on that layer.
     */
    void onRepaired(Layer layer, byte[] packet, int len, int payloadOffset, int payloadLength, LoopContext ctx) {
        if (closed || layer.index() != current || !rewriter.accepts(Bytes.uint16(packet, 2))) {
            return;
        }
        write(packet, 0, len, payloadOffset, payloadLength, ctx.nowNanos());
    }

    private void write(byte[] src, int off, int len, int payloadOffset, int payloadLength, long now) {
        System.arraycopy(src, off, scratch, 0, len);
        Bytes.putInt32(scratch, 8, producer.outSsrc());
        rewriter.rewrite(scratch, 0, payloadOffset, payloadLength, producer.rewritesPictureIds(), producer.isVp9(),
                now);
        datagram.clear().limit(len);
        if (sender.test(datagram, target)) {
            packets++;
        } else {
            refused++;
        }
    }

    /** The highest layer that is sending now; the one arriving when none counts as active yet. */
    private int bestLayer(long now, int arriving) {
        for (int i = producer.layerCount() - 1; i >= 0; i--) {
            if (producer.layer(i).isActive(now)) {
                return i;
            }
        }
        return arriving;
    }

    void close() {
        closed = true;
    }

    public Producer producer() {
        return producer;
    }

    public InetSocketAddress target() {
        return target;
    }

    /** Packets handed to the recorder. */
    public long packets() {
        return packets;
    }

    /** Packets the loopback socket did not take (its buffer was full). */
    public long refused() {
        return refused;
    }

    /** The layer being recorded, -1 before the first key frame. */
    public int currentLayer() {
        return current;
    }
}
