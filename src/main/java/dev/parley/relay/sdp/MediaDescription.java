package dev.parley.relay.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One m= section: {@code m=<media> <port>[/<number of ports>] <proto> <fmt> ...} with its i=, c=, b=, k= and a=
 * lines. Mutable, not thread-safe.
 */
public final class MediaDescription extends SdpSection {

    public static final String UDP_TLS_RTP_SAVPF = "UDP/TLS/RTP/SAVPF";
    public static final String UDP_DTLS_SCTP = "UDP/DTLS/SCTP";

    private String media;
    private int port;
    private Integer numberOfPorts;
    private String protocol;
    private final List<String> formats = new ArrayList<>();

    /** An m-section without formats; add codecs with {@link #addCodec} or formats with {@link #addFormat}. */
    public MediaDescription(String media, int port, String protocol) {
        this.media = Syntax.word(media, "media type");
        setPort(port);
        this.protocol = Syntax.word(protocol, "protocol");
    }

    static MediaDescription parse(String value) {
        List<String> w = Syntax.words(value);
        if (w.size() < 3) {
            throw new IllegalArgumentException("m= line needs <media> <port> <proto> <fmt> ..., found "
                    + w.size() + " fields");
        }
        String portField = w.get(1);
        int slash = portField.indexOf('/');
        int port = Syntax.parseInt(slash < 0 ? portField : portField.substring(0, slash), 0, 65535, "port");
        MediaDescription m = new MediaDescription(w.get(0), port, w.get(2));
        if (slash >= 0) {
            m.setNumberOfPorts(Syntax.parseInt(portField.substring(slash + 1), 1, 65535, "number of ports"));
        }
        m.setFormats(w.subList(3, w.size()));
        return m;
    }

    String format() {
        StringBuilder sb = new StringBuilder(media).append(' ').append(port);
        if (numberOfPorts != null) {
            sb.append('/').append(numberOfPorts);
        }
        sb.append(' ').append(protocol);
        for (String f : formats) {
            sb.append(' ').append(f);
        }
        return sb.toString();
    }

    // ---- the m= line

    /** The media type as written: audio, video, application, ... */
    public String media() {
        return media;
    }

    public boolean isAudio() {
        return media.equals("audio");
    }

    public boolean isVideo() {
        return media.equals("video");
    }

    public boolean isApplication() {
        return media.equals("application");
    }

    public int port() {
        return port;
    }

    public void setPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0..65535");
        }
        this.port = port;
    }

    public OptionalInt numberOfPorts() {
        return numberOfPorts == null ? OptionalInt.empty() : OptionalInt.of(numberOfPorts);
    }

    public void setNumberOfPorts(Integer count) {
        if (count != null && (count < 1 || count > 65535)) {
            throw new IllegalArgumentException("number of ports " + count + " is out of range 1..65535");
        }
        numberOfPorts = count;
    }

    /** A port of 0 without a=bundle-only rejects (or disables) the section (RFC 3264, RFC 8843). */
    public boolean isRejected() {
        return port == 0 && !attributes().has("bundle-only");
    }

    public String protocol() {
        return protocol;
    }

    public void setProtocol(String protocol) {
        String old = this.protocol;
        this.protocol = Syntax.word(protocol, "protocol");
        try {
            checkFormats(formats);
        } catch (IllegalArgumentException e) {
            this.protocol = old;
            throw e;
        }
    }

    /** Whether the protocol carries RTP (RTP/AVP, UDP/TLS/RTP/SAVPF, ...), so formats are payload types. */
    public boolean isRtp() {
        return protocol.contains("RTP/");
    }

    public List<String> formats() {
        return Collections.unmodifiableList(formats);
    }

    public void setFormats(List<String> list) {
        List<String> copy = List.copyOf(list);
        checkFormats(copy);
        formats.clear();
        formats.addAll(copy);
    }

    public void addFormat(String format) {
        checkFormats(List.of(format));
        formats.add(format);
    }

    /** The formats as payload types, in preference order; empty unless {@link #isRtp()}. */
    public List<Integer> payloadTypes() {
        List<Integer> out = new ArrayList<>();
        if (isRtp()) {
            for (String f : formats) {
                out.add(Syntax.parseInt(f, 0, 127, "payload type"));
            }
        }
        return out;
    }

    private void checkFormats(List<String> list) {
        for (String f : list) {
            Syntax.word(f, "format");
            if (isRtp()) {
                Syntax.parseInt(f, 0, 127, "payload type");
            }
        }
    }

    // ---- media-level attributes

    public Optional<String> mid() {
        return attributes().value("mid").map(Syntax::trimSpaces);
    }

    public void setMid(String mid) {
        attributes().set("mid", mid);
    }

    /** The direction attribute, sendrecv when absent (RFC 8866 section 6.7). */
    public Direction direction() {
        return directionAttribute().orElse(Direction.SENDRECV);
    }

    public boolean rtcpMux() {
        return attributes().has("rtcp-mux");
    }

    public void setRtcpMux(boolean on) {
        attributes().setFlag("rtcp-mux", on);
    }

    public boolean rtcpRsize() {
        return attributes().has("rtcp-rsize");
    }

    public void setRtcpRsize(boolean on) {
        attributes().setFlag("rtcp-rsize", on);
    }

    public boolean bundleOnly() {
        return attributes().has("bundle-only");
    }

    /** Codecs in m-line (preference) order; payload types with neither rtpmap nor a static assignment are left out. */
    public List<RtpCodec> codecs() {
        return Codecs.assemble(payloadTypes(), attributes());
    }

    public Optional<RtpCodec> codec(int payloadType) {
        for (RtpCodec c : codecs()) {
            if (c.payloadType() == payloadType) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Appends the payload type to the m-line (if absent) and its a=rtpmap, a=rtcp-fb and a=fmtp lines. */
    public void addCodec(RtpCodec codec) {
        if (!isRtp()) {
            throw new IllegalStateException("protocol " + protocol + " does not carry RTP codecs");
        }
        Codecs.add(codec, this);
    }

    /** Removes the payload type from the m-line together with its rtpmap, fmtp and per-type rtcp-fb lines. */
    public void removeCodec(int payloadType) {
        formats.removeIf(f -> f.equals(Integer.toString(payloadType)) || payloadTypeOf(f) == payloadType);
        Codecs.removeLines(payloadType, attributes());
    }

    private static int payloadTypeOf(String format) {
        try {
            return Syntax.parseInt(format, 0, 127, "payload type");
        } catch (IllegalArgumentException notAPayloadType) {
            return -1;
        }
    }

    public List<SsrcAttribute> ssrcAttributes() {
        List<SsrcAttribute> out = new ArrayList<>();
        for (String v : attributes().values("ssrc")) {
            out.add(SsrcAttribute.parse(v));
        }
        return out;
    }

    /** The a=ssrc lines grouped per SSRC, in order of first appearance. */
    public List<Ssrc> ssrcs() {
        Map<Long, Map<String, String>> grouped = new LinkedHashMap<>();
        for (SsrcAttribute a : ssrcAttributes()) {
            Map<String, String> attrs = grouped.computeIfAbsent(a.ssrc(), k -> new LinkedHashMap<>());
            if (a.attribute() != null) {
                attrs.putIfAbsent(a.attribute(), a.value() == null ? "" : a.value());
            }
        }
        List<Ssrc> out = new ArrayList<>();
        grouped.forEach((id, attrs) -> out.add(new Ssrc(id, attrs)));
        return out;
    }

    public void addSsrcAttribute(SsrcAttribute a) {
        attributes().add("ssrc", a.format());
    }

    /** Adds {@code a=ssrc:<ssrc> cname:<cname>}. */
    public void addSsrc(long ssrc, String cname) {
        addSsrcAttribute(new SsrcAttribute(ssrc, "cname", cname));
    }

    public List<SsrcGroup> ssrcGroups() {
        List<SsrcGroup> out = new ArrayList<>();
        for (String v : attributes().values("ssrc-group")) {
            out.add(SsrcGroup.parse(v));
        }
        return out;
    }

    public void addSsrcGroup(SsrcGroup group) {
        attributes().add("ssrc-group", group.format());
    }

    public List<Msid> msids() {
        List<Msid> out = new ArrayList<>();
        for (String v : attributes().values("msid")) {
            out.add(Msid.parse(v));
        }
        return out;
    }

    public Optional<Msid> msid() {
        return attributes().value("msid").map(Msid::parse);
    }

    public void addMsid(Msid msid) {
        attributes().add("msid", msid.format());
    }

    public List<Rid> rids() {
        List<Rid> out = new ArrayList<>();
        for (String v : attributes().values("rid")) {
            out.add(Rid.parse(v));
        }
        return out;
    }

    public void addRid(Rid rid) {
        attributes().add("rid", rid.format());
    }

    public Optional<Simulcast> simulcast() {
        return attributes().value("simulcast").map(Simulcast::parse);
    }

    public void setSimulcast(Simulcast simulcast) {
        attributes().set("simulcast", simulcast.format());
    }

    public List<IceCandidate> candidates() {
        List<IceCandidate> out = new ArrayList<>();
        for (String v : attributes().values("candidate")) {
            out.add(IceCandidate.parse(v));
        }
        return out;
    }

    public void addCandidate(IceCandidate candidate) {
        attributes().add("candidate", candidate.format());
    }

    public boolean endOfCandidates() {
        return attributes().has("end-of-candidates");
    }

    public void setEndOfCandidates(boolean ended) {
        attributes().setFlag("end-of-candidates", ended);
    }

    /** a=sctp-port (RFC 8841) of a data channel section. */
    public OptionalInt sctpPort() {
        Optional<String> v = attributes().value("sctp-port");
        return v.isEmpty() ? OptionalInt.empty()
                : OptionalInt.of(Syntax.parseInt(Syntax.trimSpaces(v.get()), 0, 65535, "sctp port"));
    }

    public void setSctpPort(int sctpPort) {
        if (sctpPort < 0 || sctpPort > 65535) {
            throw new IllegalArgumentException("sctp port " + sctpPort + " is out of range 0..65535");
        }
        attributes().set("sctp-port", Integer.toString(sctpPort));
    }

    /** a=max-message-size (RFC 8841); 0 means no limit. */
    public OptionalLong maxMessageSize() {
        Optional<String> v = attributes().value("max-message-size");
        return v.isEmpty() ? OptionalLong.empty()
                : OptionalLong.of(Syntax.parseLong(Syntax.trimSpaces(v.get()), 0, Long.MAX_VALUE,
                        "max message size"));
    }

    public void setMaxMessageSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("max message size " + size + " is negative");
        }
        attributes().set("max-message-size", Long.toString(size));
    }
}
