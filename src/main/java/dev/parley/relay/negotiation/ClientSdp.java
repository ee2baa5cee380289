package dev.parley.relay.negotiation;

import dev.parley.relay.dtls.DtlsFingerprint;
import dev.parley.relay.router.MediaKind;
import dev.parley.relay.router.RtpCodecSpec;
import dev.parley.relay.sdp.EffectiveMedia;
import dev.parley.relay.sdp.Fingerprint;
import dev.parley.relay.sdp.HeaderExtension;
import dev.parley.relay.sdp.MediaDescription;
import dev.parley.relay.sdp.RtpCodec;
import dev.parley.relay.sdp.SdpParseException;
import dev.parley.relay.sdp.SdpParser;
import dev.parley.relay.sdp.Simulcast;
import dev.parley.relay.sdp.SimulcastStream;
import dev.parley.relay.sdp.SessionDescription;
import dev.parley.relay.sdp.Setup;
import dev.parley.relay.sdp.Ssrc;
import dev.parley.relay.sdp.SsrcGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads what a client's session description says: its codecs, RTX, SSRCs, ICE and DTLS parameters. */
final class ClientSdp {

    /** A browser's answer in a meeting of a few hundred senders (WHIP and WHEP bodies are limited before, to less). */
    static final int MAX_SDP_LENGTH = 512 * 1024;

    private ClientSdp() {
    }

    static RtpCodec chooseCodec(MediaDescription offered, MediaKind kind, List<RtpCodecSpec> videoCodecs) {
        List<RtpCodecSpec> preference = kind == MediaKind.AUDIO ? List.of(RtpCodecSpec.OPUS) : videoCodecs;
        for (RtpCodecSpec spec : preference) {
            for (RtpCodec codec : offered.codecs()) {
                if (!codec.is(spec.name())) {
                    continue;
                }
                if (codec.is("H264") && !"1".equals(codec.parameter("packetization-mode").orElse("0"))) {
                    continue;
                }
                return codec;
            }
        }
        return null;
    }

    static int rtxFor(MediaDescription m, int payloadType) {
        for (RtpCodec codec : m.codecs()) {
            if (codec.isRtx() && codec.apt().isPresent() && codec.apt().getAsInt() == payloadType) {
                return codec.payloadType();
            }
        }
        return -1;
    }

    /** The SSRCs a section announces: {primary, rtx}, zero where unknown. */
    static long[] announcedSsrcs(MediaDescription m) {
        for (SsrcGroup group : m.ssrcGroups()) {
            if (SsrcGroup.FID.equals(group.semantics()) && group.ssrcs().size() == 2) {
                return new long[] {group.ssrcs().get(0), group.ssrcs().get(1)};
            }
        }
        List<Ssrc> ssrcs = m.ssrcs();
        return new long[] {ssrcs.isEmpty() ? 0 : ssrcs.get(0).id(), 0};
    }

    /**
     * The layers of an SSRC-group simulcast answer (a=ssrc-group:SIM, lowest quality first, as libwebrtc writes it),
     * each {primary, rtx} with its RTX from an FID group (0 without); empty when there is no SIM group of 2 or more.
     */
    static List<long[]> simulcastSsrcs(MediaDescription m) {
        List<long[]> layers = new ArrayList<>();
        for (SsrcGroup group : m.ssrcGroups()) {
            if (SsrcGroup.SIM.equals(group.semantics()) && group.ssrcs().size() >= 2) {
                for (long primary : group.ssrcs()) {
                    long rtx = 0;
                    for (SsrcGroup fid : m.ssrcGroups()) {
                        if (SsrcGroup.FID.equals(fid.semantics()) && fid.ssrcs().size() == 2
                                && fid.ssrcs().get(0) == primary) {
                            rtx = fid.ssrcs().get(1);
                        }
                    }
                    layers.add(new long[] {primary, rtx});
                }
                return layers;
            }
        }
        return layers;
    }

    /** The id the section maps {@code uri} to, or -1. */
    static int extensionId(EffectiveMedia media, String uri) {
        return media.extmaps().stream().filter(e -> uri.equals(e.uri())).mapToInt(HeaderExtension::id).findFirst()
                .orElse(-1);
    }

    /**
     * The layers a browser's answer agrees to send, lowest first, as the relay's offer ordered them: the RIDs of its
     * a=simulcast send list that the offer named (paused or unknown ones left out), or empty when it sends one stream.
     */
    static List<String> simulcastLayers(MediaDescription answer, List<String> offered) {
        Optional<Simulcast> simulcast = answer.simulcast();
        if (simulcast.isEmpty()) {
            return List.of();
        }
        List<String> sent = new ArrayList<>();
        for (List<SimulcastStream> stream : simulcast.get().send()) {
            SimulcastStream first = stream.get(0);
            if (!first.paused() && offered.contains(first.rid())) {
                sent.add(first.rid());
            }
        }
        List<String> ordered = offered.stream().filter(sent::contains).toList();
        return ordered.size() > 1 ? ordered : List.of();
    }

    static List<DtlsFingerprint> checkClientOffer(SessionDescription offer) throws NegotiationException {
        if (offer.media().isEmpty()) {
            throw new NegotiationException("bad-sdp", "the offer has no m-sections");
        }
        EffectiveMedia first = offer.effective(offer.media().get(0));
        if (first.setup().isPresent() && first.setup().get() == Setup.PASSIVE) {
            throw new NegotiationException("bad-sdp", "the relay is always the DTLS server: offer a=setup:actpass or active");
        }
        if (first.iceUfrag().isEmpty() || first.icePwd().isEmpty()) {
            throw new NegotiationException("bad-sdp", "the offer lacks a=ice-ufrag or a=ice-pwd");
        }
        return fingerprints(first);
    }

    static List<DtlsFingerprint> fingerprints(EffectiveMedia media) throws NegotiationException {
        List<DtlsFingerprint> result = new ArrayList<>();
        for (Fingerprint f : media.fingerprints()) {
            // SHA-1 is parsed (RFC 4572 allowed it) but not trusted here: WebRTC requires SHA-256 (RFC 8827 §6.5).
            if (DtlsFingerprint.isSupportedAlgorithm(f.algorithm()) && !f.algorithm().equalsIgnoreCase("sha-1")) {
                try {
                    result.add(DtlsFingerprint.parse(f.algorithm() + " " + f.value()));
                } catch (IllegalArgumentException e) {
                    throw new NegotiationException("bad-sdp", "unreadable a=fingerprint: " + e.getMessage());
                }
            }
        }
        if (result.isEmpty()) {
            throw new NegotiationException("bad-sdp", "no a=fingerprint with a supported hash (sha-256 or stronger)");
        }
        return result;
    }

    /**
     * Parses a client's SDP, within the length limit. Thread-safe and independent of any transport: the relay calls it
     * on the caller's thread, so parsing never holds up the loop.
     */
    static SessionDescription parse(String text) throws NegotiationException {
        if (text == null || text.isBlank()) {
            throw new NegotiationException("bad-sdp", "empty SDP");
        }
        if (text.length() > MAX_SDP_LENGTH) {
            throw new NegotiationException("bad-sdp", "SDP longer than " + MAX_SDP_LENGTH + " characters");
        }
        try {
            return SdpParser.parse(text);
        } catch (SdpParseException e) {
            throw new NegotiationException("bad-sdp", e.getMessage());
        }
    }
}
