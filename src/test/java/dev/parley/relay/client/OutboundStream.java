package dev.parley.relay.client;

import dev.parley.relay.router.MediaKind;
import dev.parley.relay.rtp.RtpHeaderWriter;
import dev.parley.relay.srtp.PacketBuffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One SSRC this endpoint sends on (one sending m-section): writes RTP headers with its own sequence numbers, an RTP
 * clock derived from {@link System#nanoTime()}, the MID header extension when negotiated, and synthetic payloads
 * carrying probes.
 *
 * <p>Send methods may be called from any thread; they serialise on this stream (one packet buffer per stream), so
 * drive each stream from one thread for throughput. Nothing is allocated per packet. Methods return false or 0 when
 * the endpoint is not connected or the stream was made inactive by renegotiation.
 */
public final class OutboundStream {

    private final String mid;
    private final MediaKind kind;
    private final int clockRate;
    private final int ssrc;
    private final int payloadType;
    private final int midExtensionId;
    private final byte[] midBytes;
    private final int maxPayload;
    private final RtpTransmitter transmitter;

    private final PacketBuffer packet;
    private final ByteBuffer view;
    private final RtpHeaderWriter header = new RtpHeaderWriter();
    private final long clockOriginNanos;
    private final long timestampBase;
    private int sequenceNumber;
    private int pictureId;
    private long probeSequence;
    // the video frame being sent (see startVideoFrame); guarded by this
    private long frameNumber;
    private int frameCount;
    private int frameNext;
    private int frameEach;
    private int frameRemainder;
    private int framePictureId;
    private long frameTimestamp;
    private boolean frameKey;
    // RFC 6464 audio level of the packets sent from now on (-1: none), under the id of our offers
    private volatile int audioLevel = -1;
    private final byte[] audioLevelByte = new byte[1];

    private volatile boolean active = true;
    private volatile boolean keyframeRequested;
    private volatile long packetsSent;
    private volatile long octetsSent;
    private volatile long framesSent;
    private volatile long keyframesSent;
    private volatile long sendFailures;
    private volatile long reportBlocks;
    private volatile int reportedFractionLost;
    private volatile int reportedCumulativeLost;
    private volatile long reportedJitter;
    private final AtomicLong keyframeRequests = new AtomicLong();
    private final AtomicLong nacksReceived = new AtomicLong();

    OutboundStream(String mid, MediaKind kind, int ssrc, int payloadType, int midExtensionId, int maxPayload,
            RtpTransmitter transmitter) {
        this.mid = mid;
        this.kind = kind;
        this.clockRate = ClientCodec.of(kind).clockRate();
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.midExtensionId = midExtensionId >= 1 && midExtensionId <= 14 ? midExtensionId : 0;
        this.midBytes = mid.getBytes(StandardCharsets.UTF_8);
        this.maxPayload = maxPayload;
        this.transmitter = transmitter;
        this.packet = PacketBuffer.forPackets(maxPayload + 64 + SyntheticMedia.minimumVp8Payload(true, true));
        this.view = ByteBuffer.wrap(packet.buffer());
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.clockOriginNanos = System.nanoTime();
        this.timestampBase = random.nextLong(1L << 32);
        this.sequenceNumber = random.nextInt(1 << 16);
        this.pictureId = random.nextInt(1 << 15);
    }

    public String mid() {
        return mid;
    }

    public MediaKind kind() {
        return kind;
    }

    public int ssrc() {
        return ssrc;
    }

    public int payloadType() {
        return payloadType;
    }

    /** False once renegotiation made the m-section inactive or rejected it; sending then does nothing. */
    public boolean isActive() {
        return active;
    }

    void setActive(boolean value) {
        active = value;
    }

    /**
     * Audio packets from now on carry the client-to-mixer audio level (RFC 6464, voice activity set) under the id this
     * endpoint's offers give it ({@link SdpNegotiator#OFFER_AUDIO_LEVEL_EXTENSION_ID}); -1 stops it.
     *
     * @param level -dBov, 0 the loudest, 127 silence; or -1
     */
    public void setAudioLevel(int level) {
        if (level < -1 || level > 127) {
            throw new IllegalArgumentException("an audio level is 0..127, or -1 for none");
        }
        audioLevel = level;
    }

    /** The stream's RTP clock now: a random base plus the time since the stream was created at the codec's rate. */
    public long rtpTimestampNow() {
        return rtpTimestampAt(System.nanoTime());
    }

    long rtpTimestampAt(long nanos) {
        long elapsedMicros = (nanos - clockOriginNanos) / 1000;
        return (timestampBase + elapsedMicros * clockRate / 1_000_000) & 0xFFFFFFFFL;
    }

    /**
     * Sends one RTP packet with this stream's SSRC, payload type and next sequence number, and the given payload.
     *
     * @return false if it was not sent (not connected, inactive, payload too large, protection or I/O failure)
     */
    public synchronized boolean sendRtp(boolean marker, long rtpTimestamp, byte[] payload, int off, int len) {
        if (len < 0 || len > maxPayload || off < 0 || off > payload.length - len) {
            throw new IllegalArgumentException("payload of " + len + " bytes (max " + maxPayload + ")");
        }
        int headerLength = writeHeader(marker, rtpTimestamp);
        System.arraycopy(payload, off, packet.buffer(), headerLength, len);
        return transmit(headerLength, len);
    }

    /** Sends one audio packet of {@code payloadBytes} (at least 16) carrying a probe, timestamped now. */
    public synchronized boolean sendAudio(int payloadBytes) {
        int headerLength = writeHeader(false, rtpTimestampNow());
        int n = SyntheticMedia.writeAudio(packet.buffer(), headerLength, Math.min(payloadBytes, maxPayload),
                System.nanoTime(), probeSequence);
        probeSequence++;
        return transmit(headerLength, n);
    }

    /**
     * Sends one VP8 frame of about {@code frameBytes} split into packets of at most the configured payload size, all
     * with one timestamp and the marker on the last. It is a key frame if asked, or if a PLI/FIR arrived since the
     * last key frame.
     *
     * @return packets sent; fewer than the frame needed if sending failed part way
     */
    public synchronized int sendVideoFrame(int frameBytes, boolean keyframe) {
        return sendFramePackets(startVideoFrame(frameBytes, keyframe), Integer.MAX_VALUE);
    }

    /**
     * Starts a VP8 frame of about {@code frameBytes} that {@link #sendFramePackets} then sends a few packets at a time
     * (a paced sender spreads them over the frame interval). A frame still unsent is finished first, all at once.
     *
     * @return the frame's number, to pass to {@link #sendFramePackets}
     */
    public synchronized long startVideoFrame(int frameBytes, boolean keyframe) {
        if (frameNext < frameCount) {
            sendFramePackets(frameNumber, Integer.MAX_VALUE);
        }
        frameKey = keyframe || keyframeRequested;
        if (frameKey) {
            keyframeRequested = false;
        }
        framePictureId = pictureId;
        pictureId = (pictureId + 1) & 0x7FFF;
        frameTimestamp = rtpTimestampNow();
        int bytes = Math.max(frameBytes, 1);
        frameCount = (bytes + maxPayload - 1) / maxPayload;
        frameEach = bytes / frameCount;
        frameRemainder = bytes % frameCount;
        frameNext = 0;
        frameNumber++;
        return frameNumber;
    }

    /** Packets of the current frame not sent yet; 0 once it is out or once {@code frame} is no longer current. */
    public synchronized int framePacketsLeft(long frame) {
        return frame == frameNumber ? frameCount - frameNext : 0;
    }

    /**
     * Sends up to {@code max} more packets of frame {@code frame}, if it is still the current one.
     *
     * @return packets sent; a failed send abandons the rest of the frame (a key frame is then asked for again)
     */
    public synchronized int sendFramePackets(long frame, int max) {
        if (frame != frameNumber) {
            return 0;
        }
        int sent = 0;
        while (frameNext < frameCount && sent < max) {
            int i = frameNext;
            int headerLength = writeHeader(i == frameCount - 1, frameTimestamp);
            int n = SyntheticMedia.writeVp8(packet.buffer(), headerLength, frameEach + (i < frameRemainder ? 1 : 0),
                    i == 0, frameKey, framePictureId, System.nanoTime(), probeSequence);
            probeSequence++;
            if (n < 0 || !transmit(headerLength, n)) {
                if (frameKey && i == 0) {
                    keyframeRequested = true; // not out yet: the next frame is a key frame again
                }
                frameNext = frameCount;
                return sent;
            }
            frameNext++;
            sent++;
            if (frameNext == frameCount) {
                framesSent = framesSent + 1;
                if (frameKey) {
                    keyframesSent = keyframesSent + 1;
                }
            }
        }
        return sent;
    }

    /** Makes the next video frame a key frame (what a PLI or FIR does). */
    public void requestKeyframe() {
        keyframeRequests.incrementAndGet();
        keyframeRequested = true;
    }

    /** Whether the next frame will be a key frame because one was requested. */
    public boolean keyframePending() {
        return keyframeRequested;
    }

    void onNack(int lostCount) {
        nacksReceived.addAndGet(lostCount);
    }

    /** A report block about this SSRC in an SR or RR from the peer (receive thread only). */
    void onReportBlock(int fractionLost, int cumulativeLost, long jitter) {
        reportedFractionLost = fractionLost;
        reportedCumulativeLost = cumulativeLost;
        reportedJitter = jitter;
        reportBlocks = reportBlocks + 1;
    }

    /** Report blocks about this SSRC received from the peer (RTCP SR/RR). */
    public long reportBlocksReceived() {
        return reportBlocks;
    }

    /** Fraction lost of the latest report block, 0..255 (lost / expected * 256). */
    public int reportedFractionLost() {
        return reportedFractionLost;
    }

    public int reportedCumulativeLost() {
        return reportedCumulativeLost;
    }

    /** Interarrival jitter of the latest report block, in RTP timestamp units. */
    public long reportedJitter() {
        return reportedJitter;
    }

    public long packetsSent() {
        return packetsSent;
    }

    /** Payload octets sent, as the SR counts them. */
    public long octetsSent() {
        return octetsSent;
    }

    public long framesSent() {
        return framesSent;
    }

    public long keyframesSent() {
        return keyframesSent;
    }

    /** PLI and FIR received for this SSRC, plus local {@link #requestKeyframe()} calls. */
    public long keyframeRequests() {
        return keyframeRequests.get();
    }

    /** Sequence numbers reported lost in NACKs (this endpoint does not retransmit). */
    public long nacksReceived() {
        return nacksReceived.get();
    }

    /** Packets not sent (not connected, inactive, protection or I/O failure). */
    public long sendFailures() {
        return sendFailures;
    }

    private int writeHeader(boolean marker, long rtpTimestamp) {
        header.begin(packet.buffer(), 0, packet.buffer().length, payloadType, marker, sequenceNumber, rtpTimestamp,
                ssrc);
        if (midExtensionId != 0) {
            header.addExtension(midExtensionId, midBytes, 0, midBytes.length);
        }
        int level = audioLevel;
        if (kind == MediaKind.AUDIO && level >= 0) {
            audioLevelByte[0] = (byte) (0x80 | level);
            header.addExtension(SdpNegotiator.OFFER_AUDIO_LEVEL_EXTENSION_ID, audioLevelByte, 0, 1);
        }
        return header.finish();
    }

    private boolean transmit(int headerLength, int payloadLength) {
        if (!active) {
            sendFailures = sendFailures + 1;
            return false;
        }
        packet.set(0, headerLength + payloadLength);
        if (!transmitter.transmitRtp(packet, view)) {
            sendFailures = sendFailures + 1;
            return false;
        }
        sequenceNumber = (sequenceNumber + 1) & 0xFFFF;
        packetsSent = packetsSent + 1;
        octetsSent = octetsSent + payloadLength;
        return true;
    }

    @Override
    public String toString() {
        return "OutboundStream[mid=" + mid + ", " + kind + ", ssrc=" + Integer.toUnsignedString(ssrc) + ", pt="
                + payloadType + ", packets=" + packetsSent + "]";
    }
}
