package dev.parley.relay.negotiation;

import dev.parley.relay.router.Endpoint;
import dev.parley.relay.router.Layer;
import dev.parley.relay.router.MediaKind;
import dev.parley.relay.router.Producer;
import dev.parley.relay.router.RtpCodecSpec;
import dev.parley.relay.router.SpeakerDetector;
import dev.parley.relay.sdp.Connection;
import dev.parley.relay.sdp.Direction;
import dev.parley.relay.sdp.Fingerprint;
import dev.parley.relay.sdp.HeaderExtension;
import dev.parley.relay.sdp.IceCandidate;
import dev.parley.relay.sdp.MediaDescription;
import dev.parley.relay.sdp.Msid;
import dev.parley.relay.sdp.MsidSemantic;
import dev.parley.relay.sdp.Origin;
import dev.parley.relay.sdp.Rid;
import dev.parley.relay.sdp.RidDirection;
import dev.parley.relay.sdp.RtcpFeedback;
import dev.parley.relay.sdp.RtpCodec;
import dev.parley.relay.sdp.SessionDescription;
import dev.parley.relay.sdp.Setup;
import dev.parley.relay.sdp.Simulcast;
import dev.parley.relay.sdp.SsrcAttribute;
import dev.parley.relay.sdp.SsrcGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the relay's side of a session description: the session, m-sections with its ICE credentials, fingerprint
 * and host candidates, its canonical codecs and header-extension ids, and the SSRCs of what it sends.
 */
final class SdpBuilder {

    static final String VIDEO_ORIENTATION = "urn:3gpp:video-orientation";
    static final int AUDIO_LEVEL_ID = SpeakerDetector.AUDIO_LEVEL_ID;
    static final int VIDEO_ORIENTATION_ID = 3;
    static final int MID_ID = Layer.MID_EXTENSION_ID;
    static final int TRANSPORT_CC_ID = Layer.TRANSPORT_CC_EXTENSION_ID;
    /** The simulcast layers a browser is asked for, lowest first (the meeting page sets each one's scale and bitrate). */
    static final List<String> SIMULCAST_RIDS = List.of("l", "m", "h");

    private final Fingerprint fingerprint;
    private final List<IceCandidate> candidates;
    private final long sessionId;

    SdpBuilder(Fingerprint fingerprint, List<IceCandidate> candidates, long sessionId) {
        this.fingerprint = fingerprint;
        this.candidates = List.copyOf(candidates);
        this.sessionId = sessionId;
    }

    SessionDescription session(long version) {
        SessionDescription sdp = new SessionDescription(Origin.of(sessionId, version));
        sdp.setIceLite(true);
        sdp.setMsidSemantic(MsidSemantic.wmsAll());
        return sdp;
    }

    MediaDescription newMedia(MediaKind kind, String mid, Endpoint endpoint, Setup setup) {
        MediaDescription m = new MediaDescription(kind.sdpName(), 9, MediaDescription.UDP_TLS_RTP_SAVPF);
        m.setConnection(Connection.UNSPECIFIED_IP4);
        m.setIceCredentials(endpoint.webRtcTransport().localIce().ufrag(), endpoint.webRtcTransport().localIce().password());
        m.setFingerprint(fingerprint);
        m.setSetup(setup);
        m.setMid(mid);
        m.setRtcpMux(true);
        if (kind == MediaKind.VIDEO) {
            m.setRtcpRsize(true);
        }
        candidates.forEach(m::addCandidate);
        m.setEndOfCandidates(true);
        return m;
    }

    static MediaDescription rejected(MediaDescription offered, String mid) {
        MediaDescription m = new MediaDescription(offered.media(), 0, offered.protocol());
        m.setFormats(offered.formats());
        m.setConnection(Connection.UNSPECIFIED_IP4);
        m.setMid(mid);
        m.setDirection(Direction.INACTIVE);
        return m;
    }

    static void addExtensions(MediaDescription m, MediaKind kind) {
        if (kind == MediaKind.AUDIO) {
            m.addExtmap(HeaderExtension.of(AUDIO_LEVEL_ID, HeaderExtension.SSRC_AUDIO_LEVEL));
        } else {
            m.addExtmap(HeaderExtension.of(VIDEO_ORIENTATION_ID, VIDEO_ORIENTATION));
        }
    }

    /**
     * A browser's video publish section asks for simulcast (RFC 8853): three layers by RID, told apart in the packets
     * by the RID header extensions (RFC 8852), which need the MID one beside them.
     */
    static void addSimulcastReceive(MediaDescription m) {
        m.addExtmap(HeaderExtension.of(MID_ID, HeaderExtension.SDES_MID));
        m.addExtmap(HeaderExtension.of(Layer.RID_EXTENSION_ID, HeaderExtension.SDES_RTP_STREAM_ID));
        m.addExtmap(HeaderExtension.of(Layer.REPAIRED_RID_EXTENSION_ID, HeaderExtension.SDES_REPAIRED_RTP_STREAM_ID));
        for (String rid : SIMULCAST_RIDS) {
            m.addRid(new Rid(rid, RidDirection.RECV, List.of(), Map.of()));
        }
        m.setSimulcast(Simulcast.of(RidDirection.RECV, SIMULCAST_RIDS));
    }

    static int canonicalExtensionId(MediaKind kind, String uri) {
        if (kind == MediaKind.AUDIO && HeaderExtension.SSRC_AUDIO_LEVEL.equals(uri)) {
            return AUDIO_LEVEL_ID;
        }
        if (kind == MediaKind.VIDEO && VIDEO_ORIENTATION.equals(uri)) {
            return VIDEO_ORIENTATION_ID;
        }
        return 0;
    }

    /**
     * Transport-wide congestion control (the TWCC header extension; the codecs get the transport-cc feedback from
     * {@link #addCodec}) both ways. In a publish section the relay reports every packet's arrival back, so the
     * browser's own estimator (GCC) ramps up, probes and backs off by what the path does; in a section the relay sends,
     * the browser reports, and the relay estimates the subscriber's bandwidth itself.
     */
    static void addTransportCc(MediaDescription m) {
        m.addExtmap(HeaderExtension.of(TRANSPORT_CC_ID, HeaderExtension.TRANSPORT_WIDE_CC));
    }

    static void addCodec(MediaDescription m, RtpCodecSpec spec, int payloadType, int rtxPayloadType) {
        addCodec(m, spec, payloadType, rtxPayloadType, false);
    }

    static void addCodec(MediaDescription m, RtpCodecSpec spec, int payloadType, int rtxPayloadType,
                         boolean transportCc) {
        RtpCodec codec = RtpCodec.of(payloadType, spec.name(), spec.clockRate());
        if (spec.channels() > 0) {
            codec = codec.withChannels(spec.channels());
        }
        if (spec.fmtp() != null && !spec.fmtp().isEmpty()) {
            codec = codec.withFmtp(spec.fmtp());
        }
        List<RtcpFeedback> feedback = new ArrayList<>(spec.kind() == MediaKind.VIDEO
                ? List.of(RtcpFeedback.GOOG_REMB, RtcpFeedback.CCM_FIR, RtcpFeedback.NACK, RtcpFeedback.NACK_PLI)
                : List.of());
        if (transportCc) {
            feedback.add(RtcpFeedback.TRANSPORT_CC);
        }
        codec = codec.withFeedback(feedback);
        m.addCodec(codec);
        if (rtxPayloadType >= 0) {
            m.addCodec(RtpCodec.of(rtxPayloadType, "rtx", spec.clockRate()).withFmtp("apt=" + payloadType));
        }
    }

    static List<RtcpFeedback> supportedFeedback(RtpCodec codec, MediaKind kind) {
        if (kind != MediaKind.VIDEO) {
            return List.of();
        }
        return codec.feedback().stream().filter(fb -> fb.equals(RtcpFeedback.GOOG_REMB) || fb.equals(RtcpFeedback.CCM_FIR)
                || fb.equals(RtcpFeedback.NACK) || fb.equals(RtcpFeedback.NACK_PLI)).toList();
    }

    static void addSendStreams(MediaDescription m, Producer producer, boolean rtx) {
        String streamId = producer.participantId();
        String trackId = producer.trackId();
        String cname = producer.cname();
        m.addMsid(new Msid(streamId, trackId));
        long primary = Integer.toUnsignedLong(producer.outSsrc());
        if (rtx && producer.outRtxSsrc() != 0) {
            long repair = Integer.toUnsignedLong(producer.outRtxSsrc());
            m.addSsrcGroup(new SsrcGroup(SsrcGroup.FID, List.of(primary, repair)));
            m.addSsrc(primary, cname);
            m.addSsrcAttribute(new SsrcAttribute(primary, "msid", streamId + " " + trackId));
            m.addSsrc(repair, cname);
            m.addSsrcAttribute(new SsrcAttribute(repair, "msid", streamId + " " + trackId));
        } else {
            m.addSsrc(primary, cname);
            m.addSsrcAttribute(new SsrcAttribute(primary, "msid", streamId + " " + trackId));
        }
    }
}
