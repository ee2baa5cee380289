package dev.parley.relay.srtp;

import dev.parley.relay.util.CopyOnWriteIntMap;
import java.security.GeneralSecurityException;
import java.util.Objects;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * SRTP and SRTCP for one transport (one participant's DTLS-SRTP association), in place over a {@link PacketBuffer}.
 *
 * <p>Crypto contexts are kept per SSRC and direction. A context is derived on the first packet of an SSRC; on the
 * receive side it is kept only once a packet has authenticated with it, so forged SSRCs leave nothing behind. After
 * that every packet finds its context with a lock-free, boxing-free lookup.
 *
 * <p>Threading: the relay calls both sides from its loop thread only. The session is nonetheless safe from several
 * threads (jitsi-srtp locks each context), and {@link #close()} may race with either side: calls after it return
 * {@link SrtpStatus#CLOSED}.
 *
 * <p>The methods never throw on packet content; every outcome is a {@link SrtpStatus}. This wrapper allocates nothing
 * per packet once a context exists; jitsi-srtp itself allocates about 90 bytes per AES-GCM packet and 120 per AES-CM
 * packet with its OpenSSL back end (see {@link AesImplementation}).
 */
public final class SrtpSession implements AutoCloseable {

    /**
     * SSRCs tracked on the receive side, per packet kind: a participant sends a handful (audio, video layers, RTX, a
     * screen share), and a context is kept only for an SSRC that authenticated, so this bounds what a peer can make
     * the relay hold.
     */
    public static final int DEFAULT_MAX_SSRCS = 64;

    private static final Logger JITSI_LOGGER = new LoggerImpl("dev.parley.relay.srtp.jitsi");

    static {
        AesImplementation.chosen();
    }
    private static final int RTP_HEADER_LENGTH = 12;
    private static final int RTCP_HEADER_LENGTH = 8;

    private final SrtpProfile profile;
    private final int maxSsrcs;
    private final int maxSendSsrcs;
    private final SrtpContextFactory receiveFactory;
    private final SrtpContextFactory sendFactory;
    private final CopyOnWriteIntMap<SrtpCryptoContext> rtpIn = new CopyOnWriteIntMap<>();
    private final CopyOnWriteIntMap<SrtcpCryptoContext> rtcpIn = new CopyOnWriteIntMap<>();
    private final CopyOnWriteIntMap<SrtpCryptoContext> rtpOut = new CopyOnWriteIntMap<>();
    private final CopyOnWriteIntMap<SrtcpCryptoContext> rtcpOut = new CopyOnWriteIntMap<>();
    private final Object sendContextLock = new Object();
    private volatile boolean closed;

    public SrtpSession(SrtpKeyingMaterial keys) {
        this(keys, DEFAULT_MAX_SSRCS);
    }

    public SrtpSession(SrtpKeyingMaterial keys, int maxSsrcs) {
        this(keys, maxSsrcs, maxSsrcs);
    }

    /**
     * @param maxSsrcs     SSRCs the peer may send on, per packet kind
     * @param maxSendSsrcs SSRCs this side may send on, per packet kind: the relay chooses them (one or two for every
     *                     track it forwards), so the bound is for its own mistakes, not for a peer's
     */
    public SrtpSession(SrtpKeyingMaterial keys, int maxSsrcs, int maxSendSsrcs) {
        Objects.requireNonNull(keys, "keys");
        if (maxSsrcs < 1 || maxSendSsrcs < 1) {
            throw new IllegalArgumentException("maxSsrcs and maxSendSsrcs must be positive");
        }
        this.profile = keys.profile();
        this.maxSsrcs = maxSsrcs;
        this.maxSendSsrcs = maxSendSsrcs;
        byte[] remoteKey = keys.remoteMasterKey();
        byte[] remoteSalt = keys.remoteMasterSalt();
        byte[] localKey = keys.localMasterKey();
        byte[] localSalt = keys.localMasterSalt();
        try {
            // The factories copy the keys; our copies are wiped right after.
            this.receiveFactory = new SrtpContextFactory(false, remoteKey, remoteSalt,
                    profile.newSrtpPolicy(false), profile.newSrtcpPolicy(false), JITSI_LOGGER);
            this.sendFactory = new SrtpContextFactory(true, localKey, localSalt,
                    profile.newSrtpPolicy(true), profile.newSrtcpPolicy(true), JITSI_LOGGER);
        } finally {
            java.util.Arrays.fill(remoteKey, (byte) 0);
            java.util.Arrays.fill(remoteSalt, (byte) 0);
            java.util.Arrays.fill(localKey, (byte) 0);
            java.util.Arrays.fill(localSalt, (byte) 0);
        }
    }

    /**
     * Runs jitsi-srtp's one-time start-up work (it benchmarks its AES back ends on first use, which takes a moment)
     * so the first participant does not pay for it.
     */
    public static void warmUp() {
        for (SrtpProfile profile : SrtpProfile.values()) {
            byte[] key = new byte[profile.keyLength()];
            byte[] salt = new byte[profile.saltLength()];
            try (SrtpSession session = new SrtpSession(new SrtpKeyingMaterial(profile, key, salt, key, salt))) {
                PacketBuffer packet = PacketBuffer.forPackets(RTP_HEADER_LENGTH);
                packet.buffer()[0] = (byte) 0x80;
                packet.set(0, RTP_HEADER_LENGTH);
                session.protectRtp(packet);
            }
        }
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Authenticates and decrypts an SRTP packet in place; on OK the buffer holds the RTP packet. */
    public SrtpStatus unprotectRtp(PacketBuffer packet) {
        if (closed) {
            return SrtpStatus.CLOSED;
        }
        if (!looksLikeVersion2(packet, RTP_HEADER_LENGTH + profile.srtpAuthTagLength())) {
            return SrtpStatus.INVALID;
        }
        int ssrc = readInt(packet.buffer(), packet.offset() + 8);
        SrtpCryptoContext context = rtpIn.get(ssrc);
        boolean fresh = false;
        try {
            if (context == null) {
                if (rtpIn.size() >= maxSsrcs) {
                    return SrtpStatus.SSRC_LIMIT;
                }
                context = receiveFactory.deriveContext(ssrc, 0);
                fresh = true;
            }
            SrtpStatus status = SrtpStatus.of(context.reverseTransformPacket(packet, false));
            if (fresh && status == SrtpStatus.OK) {
                rtpIn.putIfAbsent(ssrc, context);
            }
            return status;
        } catch (GeneralSecurityException e) {
            return SrtpStatus.CRYPTO_ERROR;
        }
    }

    /** Authenticates and decrypts an SRTCP packet in place; on OK the buffer holds the (compound) RTCP packet. */
    public SrtpStatus unprotectRtcp(PacketBuffer packet) {
        if (closed) {
            return SrtpStatus.CLOSED;
        }
        if (!looksLikeVersion2(packet, RTCP_HEADER_LENGTH + profile.srtcpOverhead())) {
            return SrtpStatus.INVALID;
        }
        int ssrc = readInt(packet.buffer(), packet.offset() + 4);
        SrtcpCryptoContext context = rtcpIn.get(ssrc);
        boolean fresh = false;
        try {
            if (context == null) {
                if (rtcpIn.size() >= maxSsrcs) {
                    return SrtpStatus.SSRC_LIMIT;
                }
                context = receiveFactory.deriveControlContext(ssrc);
                fresh = true;
            }
            SrtpStatus status = SrtpStatus.of(context.reverseTransformPacket(packet));
            if (fresh && status == SrtpStatus.OK) {
                rtcpIn.putIfAbsent(ssrc, context);
            }
            return status;
        } catch (GeneralSecurityException e) {
            return SrtpStatus.CRYPTO_ERROR;
        }
    }

    /** Encrypts an RTP packet in place and appends its tag; needs {@link SrtpProfile#srtpOverhead()} bytes of room. */
    public SrtpStatus protectRtp(PacketBuffer packet) {
        if (closed) {
            return SrtpStatus.CLOSED;
        }
        if (!isCompleteRtpHeader(packet)) {
            return SrtpStatus.INVALID;
        }
        if (packet.tailRoom() < profile.srtpOverhead()) {
            return SrtpStatus.NO_TAIL_ROOM;
        }
        int ssrc = readInt(packet.buffer(), packet.offset() + 8);
        try {
            SrtpCryptoContext context = rtpOut.get(ssrc);
            if (context == null) {
                synchronized (sendContextLock) {
                    context = rtpOut.get(ssrc);
                    if (context == null) {
                        if (rtpOut.size() >= maxSendSsrcs) {
                            return SrtpStatus.SSRC_LIMIT;
                        }
                        context = sendFactory.deriveContext(ssrc, 0);
                        rtpOut.put(ssrc, context);
                    }
                }
            }
            return SrtpStatus.of(context.transformPacket(packet));
        } catch (GeneralSecurityException e) {
            return SrtpStatus.CRYPTO_ERROR;
        }
    }

    /**
     * Encrypts a (compound) RTCP packet in place and appends tag and SRTCP index; needs
     * {@link SrtpProfile#srtcpOverhead()} bytes of room.
     */
    public SrtpStatus protectRtcp(PacketBuffer packet) {
        if (closed) {
            return SrtpStatus.CLOSED;
        }
        if (!looksLikeVersion2(packet, RTCP_HEADER_LENGTH)) {
            return SrtpStatus.INVALID;
        }
        if (packet.tailRoom() < profile.srtcpOverhead()) {
            return SrtpStatus.NO_TAIL_ROOM;
        }
        int ssrc = readInt(packet.buffer(), packet.offset() + 4);
        try {
            SrtcpCryptoContext context = rtcpOut.get(ssrc);
            if (context == null) {
                synchronized (sendContextLock) {
                    context = rtcpOut.get(ssrc);
                    if (context == null) {
                        if (rtcpOut.size() >= maxSendSsrcs) {
                            return SrtpStatus.SSRC_LIMIT;
                        }
                        context = sendFactory.deriveControlContext(ssrc);
                        rtcpOut.put(ssrc, context);
                    }
                }
            }
            return SrtpStatus.of(context.transformPacket(packet));
        } catch (GeneralSecurityException e) {
            return SrtpStatus.CRYPTO_ERROR;
        }
    }

    /**
     * Forgets the contexts of an SSRC that left (e.g. a removed track), in both directions. Only for an SSRC that is
     * not used again: a new context would start its packet index over.
     */
    public void removeSsrc(int ssrc) {
        rtpIn.remove(ssrc);
        rtcpIn.remove(ssrc);
        synchronized (sendContextLock) {
            rtpOut.remove(ssrc);
            rtcpOut.remove(ssrc);
        }
    }

    /**
     * Forgets the receive contexts (RTP and RTCP) of an SSRC the peer stopped sending on, and only those: a relay link
     * numbers each direction on its own, so the same SSRC may be live the other way. Only for an SSRC the peer does
     * not send on again.
     */
    public void removeReceiveSsrc(int ssrc) {
        rtpIn.remove(ssrc);
        rtcpIn.remove(ssrc);
    }

    /** Forgets the send contexts (RTP and RTCP) of an SSRC this side stopped sending on; never to be sent on again. */
    public void removeSendSsrc(int ssrc) {
        synchronized (sendContextLock) {
            rtpOut.remove(ssrc);
            rtcpOut.remove(ssrc);
        }
    }

    /** SSRCs with an authenticated receive context. */
    public int receiveSsrcCount() {
        return rtpIn.size();
    }

    public int sendSsrcCount() {
        return rtpOut.size();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Drops all contexts and wipes the master keys held by the context factories. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        rtpIn.clear();
        rtcpIn.clear();
        synchronized (sendContextLock) {
            rtpOut.clear();
            rtcpOut.clear();
        }
        receiveFactory.close();
        sendFactory.close();
    }

    @Override
    public String toString() {
        return "SrtpSession[profile=" + profile + ", receiveSsrcs=" + rtpIn.size() + ", sendSsrcs=" + rtpOut.size()
                + (closed ? ", closed" : "") + "]";
    }

    private static boolean looksLikeVersion2(PacketBuffer packet, int minLength) {
        return packet.length() >= minLength && (packet.buffer()[packet.offset()] & 0xC0) == 0x80;
    }

    /** RFC 3550 §5.1 header with its CSRC list and extension (RFC 8285) inside the packet. */
    private static boolean isCompleteRtpHeader(PacketBuffer packet) {
        if (!looksLikeVersion2(packet, RTP_HEADER_LENGTH)) {
            return false;
        }
        byte[] buf = packet.buffer();
        int off = packet.offset();
        int length = packet.length();
        int headerLength = RTP_HEADER_LENGTH + 4 * (buf[off] & 0x0F);
        if ((buf[off] & 0x10) != 0) {
            if (headerLength + 4 > length) {
                return false;
            }
            int extensionWords = ((buf[off + headerLength + 2] & 0xFF) << 8) | (buf[off + headerLength + 3] & 0xFF);
            headerLength += 4 + 4 * extensionWords;
        }
        return headerLength <= length;
    }

    private static int readInt(byte[] buf, int off) {
        return ((buf[off] & 0xFF) << 24) | ((buf[off + 1] & 0xFF) << 16) | ((buf[off + 2] & 0xFF) << 8)
                | (buf[off + 3] & 0xFF);
    }
}
