package dev.parley.relay.client;

import dev.parley.relay.dtls.DtlsCertificate;
import dev.parley.relay.srtp.SrtpProfile;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How a {@link WebRtcEndpoint} behaves. Build with {@link #builder()}; every setting has a default fit for tests on
 * 127.0.0.1.
 *
 * @param localAddress       the address the UDP socket binds to (default 127.0.0.1)
 * @param localPort          0 for any free port
 * @param name               used in thread names
 * @param srtpProfiles       use_srtp profiles offered in the DTLS ClientHello, in preference order
 * @param certificate        our DTLS identity; null generates one per endpoint
 * @param iceCheckInterval   retransmission interval of the connectivity checks
 * @param iceTimeout         give up connectivity checks after this long
 * @param consentInterval    average interval of consent checks (RFC 7675 says 5 s)
 * @param consentTimeout     consent is lost after this long without an answer (RFC 7675 says 30 s)
 * @param dtlsHandshakeTimeout give up the DTLS handshake after this long
 * @param rtcpInterval       interval of SR/RR reports
 * @param maxPayloadSize     largest RTP payload a synthetic packet carries (video frames are split to fit)
 * @param maxSrtpSsrcs       SSRCs the SRTP session tracks per direction (a subscriber sees two per participant)
 * @param receiveBufferBytes SO_RCVBUF asked for (the OS may cap it)
 * @param timer              a scheduler to share between endpoints (load generator); null creates one per endpoint
 * @param mediaListener      per-packet callback on the receive thread, or null
 * @param receiveLoop        a loop to share between endpoints (load generator); null starts a receive thread per
 *                           endpoint
 */
public record EndpointConfig(InetAddress localAddress, int localPort, String name, List<SrtpProfile> srtpProfiles,
                             DtlsCertificate certificate, Duration iceCheckInterval, Duration iceTimeout,
                             Duration consentInterval, Duration consentTimeout, Duration dtlsHandshakeTimeout,
                             Duration rtcpInterval, int maxPayloadSize, int maxSrtpSsrcs, int receiveBufferBytes,
                             ScheduledExecutorService timer, MediaListener mediaListener,
                             ReceiveLoop receiveLoop) {

    public EndpointConfig {
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(name, "name");
        srtpProfiles = List.copyOf(srtpProfiles);
        if (srtpProfiles.isEmpty()) {
            throw new IllegalArgumentException("offer at least one SRTP profile");
        }
        if (localPort < 0 || localPort > 65535) {
            throw new IllegalArgumentException("local port out of range");
        }
        positive(iceCheckInterval, "iceCheckInterval");
        positive(iceTimeout, "iceTimeout");
        positive(consentInterval, "consentInterval");
        positive(consentTimeout, "consentTimeout");
        positive(dtlsHandshakeTimeout, "dtlsHandshakeTimeout");
        positive(rtcpInterval, "rtcpInterval");
        if (maxPayloadSize < 64 || maxPayloadSize > 1400) {
            throw new IllegalArgumentException("maxPayloadSize must be 64..1400");
        }
        if (maxSrtpSsrcs < 1) {
            throw new IllegalArgumentException("maxSrtpSsrcs must be positive");
        }
    }

    private static void positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static EndpointConfig defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.localAddress = localAddress;
        b.localPort = localPort;
        b.name = name;
        b.srtpProfiles = srtpProfiles;
        b.certificate = certificate;
        b.iceCheckInterval = iceCheckInterval;
        b.iceTimeout = iceTimeout;
        b.consentInterval = consentInterval;
        b.consentTimeout = consentTimeout;
        b.dtlsHandshakeTimeout = dtlsHandshakeTimeout;
        b.rtcpInterval = rtcpInterval;
        b.maxPayloadSize = maxPayloadSize;
        b.maxSrtpSsrcs = maxSrtpSsrcs;
        b.receiveBufferBytes = receiveBufferBytes;
        b.timer = timer;
        b.mediaListener = mediaListener;
        b.receiveLoop = receiveLoop;
        return b;
    }

    public static final class Builder {
        private InetAddress localAddress = loopback();
        private int localPort;
        private String name = "endpoint";
        private List<SrtpProfile> srtpProfiles = List.of(SrtpProfile.AEAD_AES_128_GCM,
                SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        private DtlsCertificate certificate;
        private Duration iceCheckInterval = Duration.ofMillis(200);
        private Duration iceTimeout = Duration.ofSeconds(10);
        private Duration consentInterval = Duration.ofSeconds(5);
        private Duration consentTimeout = Duration.ofSeconds(30);
        private Duration dtlsHandshakeTimeout = Duration.ofSeconds(10);
        private Duration rtcpInterval = Duration.ofSeconds(1);
        private int maxPayloadSize = 1100;
        private int maxSrtpSsrcs = 1024;
        private int receiveBufferBytes = 1 << 20;
        private ScheduledExecutorService timer;
        private MediaListener mediaListener;
        private ReceiveLoop receiveLoop;

        private static InetAddress loopback() {
            try {
                return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }

        public Builder localAddress(InetAddress address) {
            this.localAddress = address;
            return this;
        }

        public Builder localPort(int port) {
            this.localPort = port;
            return this;
        }

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder srtpProfiles(SrtpProfile... profiles) {
            this.srtpProfiles = List.of(profiles);
            return this;
        }

        public Builder certificate(DtlsCertificate value) {
            this.certificate = value;
            return this;
        }

        public Builder iceCheckInterval(Duration value) {
            this.iceCheckInterval = value;
            return this;
        }

        public Builder iceTimeout(Duration value) {
            this.iceTimeout = value;
            return this;
        }

        public Builder consentInterval(Duration value) {
            this.consentInterval = value;
            return this;
        }

        public Builder consentTimeout(Duration value) {
            this.consentTimeout = value;
            return this;
        }

        public Builder dtlsHandshakeTimeout(Duration value) {
            this.dtlsHandshakeTimeout = value;
            return this;
        }

        public Builder rtcpInterval(Duration value) {
            this.rtcpInterval = value;
            return this;
        }

        public Builder maxPayloadSize(int value) {
            this.maxPayloadSize = value;
            return this;
        }

        public Builder maxSrtpSsrcs(int value) {
            this.maxSrtpSsrcs = value;
            return this;
        }

        public Builder receiveBufferBytes(int value) {
            this.receiveBufferBytes = value;
            return this;
        }

        /** A shared scheduler; the endpoint then does not shut it down on close. */
        public Builder timer(ScheduledExecutorService value) {
            this.timer = value;
            return this;
        }

        public Builder mediaListener(MediaListener value) {
            this.mediaListener = value;
            return this;
        }

        /** A receive loop shared with other endpoints; the endpoint then reads its socket on that loop's thread. */
        public Builder receiveLoop(ReceiveLoop value) {
            this.receiveLoop = value;
            return this;
        }

        public EndpointConfig build() {
            return new EndpointConfig(localAddress, localPort, name, srtpProfiles, certificate, iceCheckInterval,
                    iceTimeout, consentInterval, consentTimeout, dtlsHandshakeTimeout, rtcpInterval, maxPayloadSize,
                    maxSrtpSsrcs, receiveBufferBytes, timer, mediaListener, receiveLoop);
        }
    }
}
