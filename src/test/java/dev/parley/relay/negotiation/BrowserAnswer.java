package dev.parley.relay.negotiation;

import java.util.ArrayList;
import java.util.List;

/** A browser's SDP answer to the relay's offer, written as text the way Chrome writes it (only what matters here). */
final class BrowserAnswer {

    static final String FINGERPRINT = "sha-256 34:60:BE:31:20:1E:69:FE:DA:A0:EE:E8:B9:99:7F:5C:7C:29:99:FD:AF:E5:93:25:"
            + "3C:D6:54:AF:4D:FA:D7:14";

    private final List<String> mids = new ArrayList<>();
    private final StringBuilder media = new StringBuilder();
    private String setup = "active";
    private String fingerprint = FINGERPRINT;

    /** Opus; {@code ssrc} 0 announces none. */
    BrowserAnswer audio(String mid, String direction, long ssrc) {
        section("audio", 9, mid, direction, "111");
        line("a=rtpmap:111 opus/48000/2");
        line("a=fmtp:111 minptime=10;useinbandfec=1");
        ssrc(ssrc);
        return this;
    }

    /** VP8 with RTX, announced as an FID group when {@code ssrc} is not 0. */
    BrowserAnswer video(String mid, String direction, long ssrc, long rtxSsrc) {
        section("video", 9, mid, direction, "96 97");
        line("a=rtcp-rsize");
        line("a=rtpmap:96 VP8/90000");
        line("a=rtcp-fb:96 nack pli");
        line("a=rtpmap:97 rtx/90000");
        line("a=fmtp:97 apt=96");
        if (ssrc != 0) {
            line("a=ssrc-group:FID " + ssrc + " " + rtxSsrc);
            ssrc(ssrc);
            ssrc(rtxSsrc);
        }
        return this;
    }

    /** VP8 with RTX in simulcast the older way: a SIM group of the layers' SSRCs (lowest first), an FID group each. */
    BrowserAnswer videoSimulcastGroup(String mid, String direction, long[][] layers) {
        section("video", 9, mid, direction, "96 97");
        line("a=rtpmap:96 VP8/90000");
        line("a=rtpmap:97 rtx/90000");
        line("a=fmtp:97 apt=96");
        StringBuilder sim = new StringBuilder("a=ssrc-group:SIM");
        for (long[] layer : layers) {
            sim.append(' ').append(layer[0]);
        }
        line(sim.toString());
        for (long[] layer : layers) {
            line("a=ssrc-group:FID " + layer[0] + " " + layer[1]);
            ssrc(layer[0]);
            ssrc(layer[1]);
        }
        return this;
    }

    /** VP8 without RTX. */
    BrowserAnswer videoWithoutRtx(String mid, String direction, long ssrc) {
        section("video", 9, mid, direction, "96");
        line("a=rtpmap:96 VP8/90000");
        ssrc(ssrc);
        return this;
    }

    /** H.264 (packetization mode 1) with RTX. */
    BrowserAnswer h264(String mid, String direction, long ssrc) {
        section("video", 9, mid, direction, "102 103");
        line("a=rtpmap:102 H264/90000");
        line("a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
        line("a=rtpmap:103 rtx/90000");
        line("a=fmtp:103 apt=102");
        ssrc(ssrc);
        return this;
    }

    /** A rejected m-section: port 0. */
    BrowserAnswer rejected(String kind, String mid) {
        section(kind, 0, mid, "inactive", kind.equals("audio") ? "111" : "96");
        line(kind.equals("audio") ? "a=rtpmap:111 opus/48000/2" : "a=rtpmap:96 VP8/90000");
        return this;
    }

    /** Adds a header extension mapping to the last section. */
    BrowserAnswer extmap(int id, String uri) {
        line("a=extmap:" + id + " " + uri);
        return this;
    }

    BrowserAnswer setup(String role) {
        this.setup = role;
        return this;
    }

    BrowserAnswer fingerprint(String value) {
        this.fingerprint = value;
        return this;
    }

    private void section(String kind, int port, String mid, String direction, String formats) {
        mids.add(mid);
        line("m=" + kind + " " + port + " UDP/TLS/RTP/SAVPF " + formats);
        line("c=IN IP4 0.0.0.0");
        line("a=ice-ufrag:wW4r");
        line("a=ice-pwd:tS1mO9dPz4xK7cB2nQ8vL3jH");
        line("a=fingerprint:" + fingerprint);
        line("a=setup:" + setup);
        line("a=mid:" + mid);
        line("a=" + direction);
        line("a=rtcp-mux");
    }

    private void ssrc(long ssrc) {
        if (ssrc != 0) {
            line("a=ssrc:" + ssrc + " cname:pQ7rS2tU9vW4xY1z");
        }
    }

    private void line(String text) {
        media.append(text).append("\r\n");
    }

    String sdp() {
        return "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE " + String.join(" ", mids) + "\r\n" + media;
    }
}
