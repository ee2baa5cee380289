package dev.parley.relay.router;

import dev.parley.relay.rtp.RtpReceiveStatistics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One RTP stream of a producer: the whole track, or one simulcast layer (RFC 8853) named by its RID. Layers are
 * ordered from the lowest quality (index 0) up. Each has its own SSRCs, receive statistics, packet cache and keyframe
 * requests, since simulcast encodings are independent streams. Loop thread only.
 */
public final class Layer {

    /** The canonical id of the MID header extension (RFC 8843) the relay offers publishers. */
    public static final int MID_EXTENSION_ID = 4;
    /** The canonical header extension ids of the RID and repaired RID (RFC 8852) the relay offers publishers. */
    public static final int RID_EXTENSION_ID = 10;
    public static final int REPAIRED_RID_EXTENSION_ID = 11;
    /** The canonical id of the transport-wide sequence number (TWCC) publishers send. */
    public static final int TRANSPORT_CC_EXTENSION_ID = 5;

    /** A layer that sent nothing for this long is off (the publisher's encoder stopped it, or it left). */
    static final long IDLE_NANOS = 1_500_000_000L;
    private static final long BITRATE_WINDOW_NANOS = 1_000_000_000L;

    private final Producer producer;
    private final int index;
    private final String rid;
    private final byte[] ridBytes;
    private final PacketCache cache;
    private int ssrc;
    private int rtxSsrc;
    private RtpReceiveStatistics statistics;
    private long packets;
    private long bytes;
    private long keyframes;
    private long lastPacketNanos = Long.MIN_VALUE / 2;
    private long windowStartNanos = Long.MIN_VALUE / 2;
    private long windowBytes;
    private long bitrate;
    private int width;
    private int height;
    private boolean hasSenderReport;
    private long senderReportNtp;
    private long senderReportRtp;
    long lastKeyframeRequestNanos = Long.MIN_VALUE / 2;
    boolean keyframeRequestPending;

    Layer(Producer producer, int index, String rid, boolean video) {
        this.producer = producer;
        this.index = index;
        this.rid = rid;
        this.ridBytes = rid == null ? null : rid.getBytes(StandardCharsets.US_ASCII);
        this.cache = video ? new PacketCache() : null;
    }

    /** Binds the primary or RTX SSRC; false when that slot already holds another SSRC. */
    boolean bindSsrc(int newSsrc, boolean rtx) {
        if (rtx) {
            if (rtxSsrc != 0 && rtxSsrc != newSsrc) {
                return false;
            }
            rtxSsrc = newSsrc;
            return true;
        }
        if (ssrc != 0 && ssrc != newSsrc) {
            return false;
        }
        if (ssrc == 0) {
            statistics = new RtpReceiveStatistics(newSsrc);
        }
        ssrc = newSsrc;
        return true;
    }

    /** Counts a packet of this layer and keeps the bitrate over the last full second. */
    void onPacket(int length, long nowNanos) {
        packets++;
        bytes += length;
        lastPacketNanos = nowNanos;
        if (nowNanos - windowStartNanos >= BITRATE_WINDOW_NANOS) {
            long elapsed = nowNanos - windowStartNanos;
            bitrate = elapsed < 2 * BITRATE_WINDOW_NANOS ? windowBytes * 8 * 1_000_000_000L / elapsed : 0;
            windowStartNanos = nowNanos;
            windowBytes = 0;
        }
        windowBytes += length;
    }

    void onKeyframe(int packedSize) {
        keyframes++;
        if (packedSize > 0) {
            width = packedSize >>> 16;
            height = packedSize & 0xFFFF;
        }
    }

    void onSenderReport(long ntp, long rtpTimestamp) {
        hasSenderReport = true;
        senderReportNtp = ntp;
        senderReportRtp = rtpTimestamp;
    }

    /** Whether packets arrived recently: a layer the publisher switched off is not chosen. */
    public boolean isActive(long nowNanos) {
        return ssrc != 0 && nowNanos - lastPacketNanos < IDLE_NANOS;
    }

    public Producer producer() {
        return producer;
    }

    public int index() {
        return index;
    }

    /** The RID, or null for a producer without simulcast. */
    public String rid() {
        return rid;
    }

    boolean ridMatches(byte[] buf, int off, int len) {
        return ridBytes != null && Arrays.equals(ridBytes, 0, ridBytes.length, buf, off, off + len);
    }

    PacketCache cache() {
        return cache;
    }

    public int ssrc() {
        return ssrc;
    }

    public int rtxSsrc() {
        return rtxSsrc;
    }

    public RtpReceiveStatistics statistics() {
        return statistics;
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    public long keyframes() {
        return keyframes;
    }

    /** Bits per second over the last second; 0 before a full second passed, or when the layer went quiet. */
    public long bitrate(long nowNanos) {
        return nowNanos - windowStartNanos < 2 * BITRATE_WINDOW_NANOS ? bitrate : 0;
    }

    /** Frame width from the last key frame, 0 when unknown (the codec's key frames do not say). */
    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    boolean hasSenderReport() {
        return hasSenderReport;
    }

    /** The 64-bit NTP time of the last sender report. */
    long senderReportNtp() {
        return senderReportNtp;
    }

    long senderReportRtp() {
        return senderReportRtp;
    }

    @Override
    public String toString() {
        return "Layer[" + (rid == null ? "-" : rid) + " ssrc=" + Integer.toUnsignedString(ssrc) + "]";
    }
}
