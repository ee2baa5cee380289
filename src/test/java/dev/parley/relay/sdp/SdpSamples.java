package dev.parley.relay.sdp;

/**
 * Session descriptions shaped like the ones real endpoints send (ids, keys and addresses replaced), in each
 * endpoint's own line order. Written with LF; {@link #crlf} gives the wire form.
 */
final class SdpSamples {

    private SdpSamples() {
    }

    static String crlf(String lf) {
        return lf.replace("\n", "\r\n");
    }

    /** Chrome (Unified Plan) offer after gathering: audio, video with RTX/RED/ULPFEC, and a data channel. */
    static final String CHROME_OFFER = """
            v=0
            o=- 6823517931435474383 2 IN IP4 127.0.0.1
            s=-
            t=0 0
            a=group:BUNDLE 0 1 2
            a=extmap-allow-mixed
            a=msid-semantic: WMS 5f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d
            m=audio 54400 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
            c=IN IP4 203.0.113.7
            a=rtcp:9 IN IP4 0.0.0.0
            a=candidate:3350409123 1 udp 2122262783 7f3c0a65-1b2b-4a5c-9d3e-2f6c1e7a9b10.local 54400 typ host generation 0 network-id 2
            a=candidate:1467250027 1 udp 2122194687 192.168.0.196 46243 typ host generation 0 network-id 1 network-cost 10
            a=candidate:842163049 1 udp 1686052607 203.0.113.7 54400 typ srflx raddr 192.168.0.196 rport 46243 generation 0 network-id 1 network-cost 10
            a=candidate:1853887674 1 tcp 1518280447 192.168.0.196 9 typ host tcptype active generation 0 network-id 1 network-cost 10
            a=ice-ufrag:Hf2V
            a=ice-pwd:k4E9Cw7R2dwbUuc/b3AGjCZ3
            a=ice-options:trickle
            a=fingerprint:sha-256 A5:4D:CA:18:25:30:BB:1D:6D:13:2C:DE:D6:23:7B:2E:D9:1E:3F:72:1F:CB:19:71:17:44:94:D6:49:3C:9D:5C
            a=setup:actpass
            a=mid:0
            a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
            a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
            a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
            a=sendrecv
            a=msid:5f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d 0b7e4f21-9c3a-4d58-b6e2-7a1f0c9d8e35
            a=rtcp-mux
            a=rtpmap:111 opus/48000/2
            a=rtcp-fb:111 transport-cc
            a=fmtp:111 minptime=10;useinbandfec=1
            a=rtpmap:63 red/48000/2
            a=fmtp:63 111/111
            a=rtpmap:9 G722/8000
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:13 CN/8000
            a=rtpmap:110 telephone-event/48000
            a=rtpmap:126 telephone-event/8000
            a=ssrc:3735928559 cname:Xq3Tn0fGm5q3bC9H
            a=ssrc:3735928559 msid:5f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d 0b7e4f21-9c3a-4d58-b6e2-7a1f0c9d8e35
            m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 102 103 127 121 125
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=ice-ufrag:Hf2V
            a=ice-pwd:k4E9Cw7R2dwbUuc/b3AGjCZ3
            a=ice-options:trickle
            a=fingerprint:sha-256 A5:4D:CA:18:25:30:BB:1D:6D:13:2C:DE:D6:23:7B:2E:D9:1E:3F:72:1F:CB:19:71:17:44:94:D6:49:3C:9D:5C
            a=setup:actpass
            a=mid:1
            a=extmap:14 urn:ietf:params:rtp-hdrext:toffset
            a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
            a=extmap:13 urn:3gpp:video-orientation
            a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
            a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type
            a=extmap:7 http://www.webrtc.org/experiments/rtp-hdrext/video-timing
            a=extmap:8 http://www.webrtc.org/experiments/rtp-hdrext/color-space
            a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
            a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id
            a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id
            a=sendrecv
            a=msid:5f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d 9a8b7c6d-5e4f-4321-8fed-cba987654321
            a=rtcp-mux
            a=rtcp-rsize
            a=rtpmap:96 VP8/90000
            a=rtcp-fb:96 goog-remb
            a=rtcp-fb:96 transport-cc
            a=rtcp-fb:96 ccm fir
            a=rtcp-fb:96 nack
            a=rtcp-fb:96 nack pli
            a=rtpmap:97 rtx/90000
            a=fmtp:97 apt=96
            a=rtpmap:98 VP9/90000
            a=rtcp-fb:98 goog-remb
            a=rtcp-fb:98 transport-cc
            a=rtcp-fb:98 ccm fir
            a=rtcp-fb:98 nack
            a=rtcp-fb:98 nack pli
            a=fmtp:98 profile-id=0
            a=rtpmap:99 rtx/90000
            a=fmtp:99 apt=98
            a=rtpmap:102 H264/90000
            a=rtcp-fb:102 goog-remb
            a=rtcp-fb:102 transport-cc
            a=rtcp-fb:102 ccm fir
            a=rtcp-fb:102 nack
            a=rtcp-fb:102 nack pli
            a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
            a=rtpmap:103 rtx/90000
            a=fmtp:103 apt=102
            a=rtpmap:127 red/90000
            a=rtpmap:121 rtx/90000
            a=fmtp:121 apt=127
            a=rtpmap:125 ulpfec/90000
            a=ssrc-group:FID 2231627014 632943048
            a=ssrc:2231627014 cname:Xq3Tn0fGm5q3bC9H
            a=ssrc:2231627014 msid:5f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d 9a8b7c6d-5e4f-4321-8fed-cba987654321
            a=ssrc:632943048 cname:Xq3Tn0fGm5q3bC9H
            a=ssrc:632943048 msid:5f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d 9a8b7c6d-5e4f-4321-8fed-cba987654321
            m=application 9 UDP/DTLS/SCTP webrtc-datachannel
            c=IN IP4 0.0.0.0
            a=ice-ufrag:Hf2V
            a=ice-pwd:k4E9Cw7R2dwbUuc/b3AGjCZ3
            a=ice-options:trickle
            a=fingerprint:sha-256 A5:4D:CA:18:25:30:BB:1D:6D:13:2C:DE:D6:23:7B:2E:D9:1E:3F:72:1F:CB:19:71:17:44:94:D6:49:3C:9D:5C
            a=setup:actpass
            a=mid:2
            a=sctp-port:5000
            a=max-message-size:262144
            """;

    /**
     * Chrome's answer to an offer from the server with four m-lines: the browser publishes on 0 and 1 (sendonly)
     * and receives on 2 and 3 (recvonly). Trickle ICE, so no candidates yet.
     */
    static final String CHROME_ANSWER = """
            v=0
            o=- 4611731400430051336 2 IN IP4 127.0.0.1
            s=-
            t=0 0
            a=group:BUNDLE 0 1 2 3
            a=extmap-allow-mixed
            a=msid-semantic: WMS 3c1f9e4a-8d2b-4f6e-a1c7-5b9d0e2f4a6c
            m=audio 9 UDP/TLS/RTP/SAVPF 111
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=ice-ufrag:wW4r
            a=ice-pwd:tS1mO9dPz4xK7cB2nQ8vL3jH
            a=ice-options:trickle
            a=fingerprint:sha-256 34:60:BE:31:20:1E:69:FE:DA:A0:EE:E8:B9:99:7F:5C:7C:29:99:FD:AF:E5:93:25:3C:D6:54:AF:4D:FA:D7:14
            a=setup:active
            a=mid:0
            a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
            a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
            a=sendonly
            a=msid:3c1f9e4a-8d2b-4f6e-a1c7-5b9d0e2f4a6c 7d2e8f1a-6b3c-4d9e-a5f7-0c1b2a3d4e5f
            a=rtcp-mux
            a=rtpmap:111 opus/48000/2
            a=rtcp-fb:111 transport-cc
            a=fmtp:111 minptime=10;useinbandfec=1
            a=ssrc:1204394887 cname:pQ7rS2tU9vW4xY1z
            a=ssrc:1204394887 msid:3c1f9e4a-8d2b-4f6e-a1c7-5b9d0e2f4a6c 7d2e8f1a-6b3c-4d9e-a5f7-0c1b2a3d4e5f
            m=video 9 UDP/TLS/RTP/SAVPF 96 97
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=ice-ufrag:wW4r
            a=ice-pwd:tS1mO9dPz4xK7cB2nQ8vL3jH
            a=ice-options:trickle
            a=fingerprint:sha-256 34:60:BE:31:20:1E:69:FE:DA:A0:EE:E8:B9:99:7F:5C:7C:29:99:FD:AF:E5:93:25:3C:D6:54:AF:4D:FA:D7:14
            a=setup:active
            a=mid:1
            a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
            a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
            a=sendonly
            a=msid:3c1f9e4a-8d2b-4f6e-a1c7-5b9d0e2f4a6c 2e4f6a8c-0b1d-4e3f-9a7c-5d6e7f8a9b0c
            a=rtcp-mux
            a=rtcp-rsize
            a=rtpmap:96 VP8/90000
            a=rtcp-fb:96 transport-cc
            a=rtcp-fb:96 ccm fir
            a=rtcp-fb:96 nack
            a=rtcp-fb:96 nack pli
            a=rtpmap:97 rtx/90000
            a=fmtp:97 apt=96
            a=ssrc-group:FID 3571094425 2869310742
            a=ssrc:3571094425 cname:pQ7rS2tU9vW4xY1z
            a=ssrc:3571094425 msid:3c1f9e4a-8d2b-4f6e-a1c7-5b9d0e2f4a6c 2e4f6a8c-0b1d-4e3f-9a7c-5d6e7f8a9b0c
            a=ssrc:2869310742 cname:pQ7rS2tU9vW4xY1z
            a=ssrc:2869310742 msid:3c1f9e4a-8d2b-4f6e-a1c7-5b9d0e2f4a6c 2e4f6a8c-0b1d-4e3f-9a7c-5d6e7f8a9b0c
            m=audio 9 UDP/TLS/RTP/SAVPF 111
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=ice-ufrag:wW4r
            a=ice-pwd:tS1mO9dPz4xK7cB2nQ8vL3jH
            a=ice-options:trickle
            a=fingerprint:sha-256 34:60:BE:31:20:1E:69:FE:DA:A0:EE:E8:B9:99:7F:5C:7C:29:99:FD:AF:E5:93:25:3C:D6:54:AF:4D:FA:D7:14
            a=setup:active
            a=mid:2
            a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
            a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
            a=recvonly
            a=rtcp-mux
            a=rtpmap:111 opus/48000/2
            a=rtcp-fb:111 transport-cc
            a=fmtp:111 minptime=10;useinbandfec=1
            m=video 9 UDP/TLS/RTP/SAVPF 96 97
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=ice-ufrag:wW4r
            a=ice-pwd:tS1mO9dPz4xK7cB2nQ8vL3jH
            a=ice-options:trickle
            a=fingerprint:sha-256 34:60:BE:31:20:1E:69:FE:DA:A0:EE:E8:B9:99:7F:5C:7C:29:99:FD:AF:E5:93:25:3C:D6:54:AF:4D:FA:D7:14
            a=setup:active
            a=mid:3
            a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
            a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
            a=recvonly
            a=rtcp-mux
            a=rtcp-rsize
            a=rtpmap:96 VP8/90000
            a=rtcp-fb:96 transport-cc
            a=rtcp-fb:96 ccm fir
            a=rtcp-fb:96 nack
            a=rtcp-fb:96 nack pli
            a=rtpmap:97 rtx/90000
            a=fmtp:97 apt=96
            """;

    /**
     * Firefox offer with three simulcast layers: fingerprint and a=sendrecv at session level, ICE credentials per
     * m-line (as Firefox writes them), attributes sorted by name, rtcp-fb per payload type.
     */
    static final String FIREFOX_OFFER = """
            v=0
            o=mozilla...THIS_IS_SDPARTA-128.0 7069286213442431413 0 IN IP4 0.0.0.0
            s=-
            t=0 0
            a=sendrecv
            a=extmap-allow-mixed
            a=fingerprint:sha-256 27:A0:AE:B3:FE:E9:23:2F:8A:F2:21:1F:9E:E4:91:C5:B1:0B:EC:B5:56:3B:FC:1E:6F:93:42:7E:CB:C8:FE:29
            a=group:BUNDLE 0 1
            a=ice-options:trickle
            a=msid-semantic:WMS *
            m=audio 9 UDP/TLS/RTP/SAVPF 109 9 0 8 101
            c=IN IP4 0.0.0.0
            a=sendrecv
            a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
            a=extmap:2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level
            a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid
            a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1
            a=fmtp:101 0-15
            a=ice-pwd:4f9d2c8e1a7b3f6d5c0e9a8b7c6d5e4f
            a=ice-ufrag:c3a91e7b
            a=mid:0
            a=msid:{6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0} {0a1b2c3d-4e5f-4061-9273-8495a6b7c8d9}
            a=rtcp-mux
            a=rtpmap:109 opus/48000/2
            a=rtpmap:9 G722/8000/1
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:101 telephone-event/8000
            a=setup:actpass
            a=ssrc:2655508255 cname:{7c2a9f4e-3b1d-4e8a-9f6c-2d5e8a1b4c7f}
            m=video 9 UDP/TLS/RTP/SAVPF 120 124 121 125 126 127 97 98
            c=IN IP4 0.0.0.0
            a=sendrecv
            a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid
            a=extmap:4 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
            a=extmap:5 urn:ietf:params:rtp-hdrext:toffset
            a=extmap:6/recvonly http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
            a=extmap:7 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:8 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id
            a=extmap:9 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id
            a=fmtp:126 profile-level-id=42e01f;level-asymmetry-allowed=1;packetization-mode=1
            a=fmtp:97 profile-level-id=42e01f;level-asymmetry-allowed=1
            a=fmtp:120 max-fs=12288;max-fr=60
            a=fmtp:124 apt=120
            a=fmtp:121 max-fs=12288;max-fr=60
            a=fmtp:125 apt=121
            a=fmtp:127 apt=126
            a=fmtp:98 apt=97
            a=ice-pwd:4f9d2c8e1a7b3f6d5c0e9a8b7c6d5e4f
            a=ice-ufrag:c3a91e7b
            a=mid:1
            a=msid:{6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0} {1b2c3d4e-5f60-4172-8394-a5b6c7d8e9f0}
            a=rid:a send
            a=rid:b send
            a=rid:c send
            a=rtcp-fb:120 nack
            a=rtcp-fb:120 nack pli
            a=rtcp-fb:120 ccm fir
            a=rtcp-fb:120 goog-remb
            a=rtcp-fb:120 transport-cc
            a=rtcp-fb:121 nack
            a=rtcp-fb:121 nack pli
            a=rtcp-fb:121 ccm fir
            a=rtcp-fb:121 goog-remb
            a=rtcp-fb:121 transport-cc
            a=rtcp-fb:126 nack
            a=rtcp-fb:126 nack pli
            a=rtcp-fb:126 ccm fir
            a=rtcp-fb:126 goog-remb
            a=rtcp-fb:126 transport-cc
            a=rtcp-fb:97 nack
            a=rtcp-fb:97 nack pli
            a=rtcp-fb:97 ccm fir
            a=rtcp-fb:97 goog-remb
            a=rtcp-fb:97 transport-cc
            a=rtcp-mux
            a=rtcp-rsize
            a=rtpmap:120 VP8/90000
            a=rtpmap:124 rtx/90000
            a=rtpmap:121 VP9/90000
            a=rtpmap:125 rtx/90000
            a=rtpmap:126 H264/90000
            a=rtpmap:127 rtx/90000
            a=rtpmap:97 H264/90000
            a=rtpmap:98 rtx/90000
            a=setup:actpass
            a=simulcast:send a;b;c
            a=ssrc:3421396091 cname:{7c2a9f4e-3b1d-4e8a-9f6c-2d5e8a1b4c7f}
            a=ssrc:1307327326 cname:{7c2a9f4e-3b1d-4e8a-9f6c-2d5e8a1b4c7f}
            a=ssrc:2437843418 cname:{7c2a9f4e-3b1d-4e8a-9f6c-2d5e8a1b4c7f}
            a=ssrc:1762151226 cname:{7c2a9f4e-3b1d-4e8a-9f6c-2d5e8a1b4c7f}
            a=ssrc:4069432016 cname:{7c2a9f4e-3b1d-4e8a-9f6c-2d5e8a1b4c7f}
            a=ssrc:997152316 cname:{7c2a9f4e-3b1d-4e8a-9f6c-2d5e8a1b4c7f}
            a=ssrc-group:FID 3421396091 1762151226
            a=ssrc-group:FID 1307327326 4069432016
            a=ssrc-group:FID 2437843418 997152316
            """;

    /** GStreamer webrtcbin offer (VP8 with RTX, Opus) with libnice host candidates, UDP and TCP. */
    static final String GSTREAMER_OFFER = """
            v=0
            o=- 2750483185286365395 0 IN IP4 0.0.0.0
            s=-
            t=0 0
            a=ice-options:trickle
            a=group:BUNDLE video0 audio1
            m=video 9 UDP/TLS/RTP/SAVPF 96 97
            c=IN IP4 0.0.0.0
            a=setup:actpass
            a=ice-ufrag:Ct4tD6sVmvOiVqQHSiqWK0Tu3oxbIKpt
            a=ice-pwd:zSClFbQc2fCi5sTQ7qTeQrOcNfpdUn9h
            a=rtcp-mux
            a=rtcp-rsize
            a=sendrecv
            a=rtpmap:96 VP8/90000
            a=rtcp-fb:96 nack
            a=rtcp-fb:96 nack pli
            a=rtcp-fb:96 ccm fir
            a=rtcp-fb:96 transport-cc
            a=extmap:1 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=rtpmap:97 rtx/90000
            a=fmtp:97 apt=96
            a=ssrc-group:FID 1431286380 3385962393
            a=ssrc:1431286380 msid:user3055548424@host-2f0c7f5d webrtctransceiver0
            a=ssrc:1431286380 cname:user3055548424@host-2f0c7f5d
            a=ssrc:3385962393 msid:user3055548424@host-2f0c7f5d webrtctransceiver0
            a=ssrc:3385962393 cname:user3055548424@host-2f0c7f5d
            a=mid:video0
            a=fingerprint:sha-256 55:E5:CD:8E:46:DC:8E:D4:B7:C2:76:4D:2A:5A:4D:76:77:06:F8:5D:86:90:02:4A:D6:BD:A3:40:1B:E9:C8:CB
            a=candidate:1 1 UDP 2015363327 192.168.1.42 39677 typ host
            a=candidate:3 1 TCP 1015021823 192.168.1.42 9 typ host tcptype active
            a=candidate:4 1 TCP 1010827519 192.168.1.42 54305 typ host tcptype passive
            m=audio 9 UDP/TLS/RTP/SAVPF 98
            c=IN IP4 0.0.0.0
            a=setup:actpass
            a=ice-ufrag:Ct4tD6sVmvOiVqQHSiqWK0Tu3oxbIKpt
            a=ice-pwd:zSClFbQc2fCi5sTQ7qTeQrOcNfpdUn9h
            a=rtcp-mux
            a=rtcp-rsize
            a=sendrecv
            a=rtpmap:98 OPUS/48000/2
            a=rtcp-fb:98 transport-cc
            a=extmap:1 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=fmtp:98 sprop-maxcapturerate=48000;sprop-stereo=0
            a=ssrc:2968815154 msid:user3055548424@host-2f0c7f5d webrtctransceiver1
            a=ssrc:2968815154 cname:user3055548424@host-2f0c7f5d
            a=mid:audio1
            a=fingerprint:sha-256 55:E5:CD:8E:46:DC:8E:D4:B7:C2:76:4D:2A:5A:4D:76:77:06:F8:5D:86:90:02:4A:D6:BD:A3:40:1B:E9:C8:CB
            """;

    /**
     * OBS Studio WHIP offer (libdatachannel): Opus + H.264, sendonly, fingerprint and comma-separated ice-options at
     * session level, candidates and end-of-candidates in the first m-line.
     */
    static final String OBS_WHIP_OFFER = """
            v=0
            o=rtc 3029118893 0 IN IP4 127.0.0.1
            s=-
            t=0 0
            a=group:BUNDLE 0 1
            a=group:LS 0 1
            a=msid-semantic:WMS *
            a=ice-options:ice2,trickle
            a=fingerprint:sha-256 CC:C9:35:F6:CD:1F:61:22:6A:E1:53:38:AE:1A:34:00:4D:33:BA:0D:24:6A:C0:4C:81:B1:BA:F2:3E:3B:F9:EE
            m=audio 62537 UDP/TLS/RTP/SAVPF 111
            c=IN IP4 192.168.1.23
            a=mid:0
            a=sendonly
            a=ssrc:1840926612 cname:h3Xk9sLmQ2pR7vTz
            a=ssrc:1840926612 msid:F8nY2wKq5cJ0bVxU F8nY2wKq5cJ0bVxU-audio
            a=msid:F8nY2wKq5cJ0bVxU F8nY2wKq5cJ0bVxU-audio
            a=rtcp-mux
            a=rtpmap:111 opus/48000/2
            a=fmtp:111 minptime=10;maxaveragebitrate=96000;stereo=1;sprop-stereo=1;useinbandfec=1
            a=setup:actpass
            a=ice-ufrag:Hx8K
            a=ice-pwd:WJvl3jKRTa2VoN8pgsz1Sm
            a=candidate:1 1 UDP 2122317823 192.168.1.23 62537 typ host
            a=candidate:2 1 UDP 2122317567 fd00::4a2:9e1b:37c4:1 62537 typ host
            a=candidate:3 1 UDP 1686109951 198.51.100.23 62537 typ srflx raddr 0.0.0.0 rport 0
            a=end-of-candidates
            m=video 62537 UDP/TLS/RTP/SAVPF 96
            c=IN IP4 192.168.1.23
            a=mid:1
            a=sendonly
            a=ssrc:1840926613 cname:h3Xk9sLmQ2pR7vTz
            a=ssrc:1840926613 msid:F8nY2wKq5cJ0bVxU F8nY2wKq5cJ0bVxU-video
            a=msid:F8nY2wKq5cJ0bVxU F8nY2wKq5cJ0bVxU-video
            a=rtcp-mux
            a=rtpmap:96 H264/90000
            a=rtcp-fb:96 nack
            a=rtcp-fb:96 nack pli
            a=rtcp-fb:96 goog-remb
            a=fmtp:96 profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1
            a=setup:actpass
            a=ice-ufrag:Hx8K
            a=ice-pwd:WJvl3jKRTa2VoN8pgsz1Sm
            """;

    static final String[] ALL = {CHROME_OFFER, CHROME_ANSWER, FIREFOX_OFFER, GSTREAMER_OFFER, OBS_WHIP_OFFER};
}
