package dev.parley.relay;

import dev.parley.relay.dtls.DtlsCertificate;
import dev.parley.relay.ice.SourceFilter;
import dev.parley.relay.ice.SourceRateLimiter;
import dev.parley.relay.router.RtpCodecSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * @param bindAddress address of the media socket (0.0.0.0 for every interface)
 * @param port the one UDP port for all media; 0 picks a free one (tests)
 * @param announcedAddresses addresses written into ICE candidates; empty: the machine's own non-loopback addresses
 * @param sources which addresses may send ICE checks
 * @param consentTimeout how long a transport lives without valid checks (RFC 7675 suggests 30 s)
 * @param videoBitrateCap the REMB the relay sends publishers, in bit/s
 * @param videoCodecs video codecs in the relay's order of preference
 * @param certificate the DTLS certificate, or null to generate one at start-up
 * @param dtlsThreads threads for DTLS handshakes (each in-flight handshake holds one)
 * @param sourceLimits per source address limits on STUN binding requests and DTLS ClientHellos
 */
public record RelayConfig(InetAddress bindAddress, int port, List<InetAddress> announcedAddresses,
                          SourceFilter sources, Duration consentTimeout, long videoBitrateCap,
                          List<RtpCodecSpec> videoCodecs, DtlsCertificate certificate, int dtlsThreads,
                          SourceRateLimiter.Limits sourceLimits) {

    /** With the default per-source limits. */
    public RelayConfig(InetAddress bindAddress, int port, List<InetAddress> announcedAddresses, SourceFilter sources,
                       Duration consentTimeout, long videoBitrateCap, List<RtpCodecSpec> videoCodecs,
                       DtlsCertificate certificate, int dtlsThreads) {
        this(bindAddress, port, announcedAddresses, sources, consentTimeout, videoBitrateCap, videoCodecs, certificate,
                dtlsThreads, SourceRateLimiter.Limits.defaults());
    }

    public static RelayConfig loopback() {
        return new RelayConfig(InetAddress.getLoopbackAddress(), 0, List.of(InetAddress.getLoopbackAddress()),
                SourceFilter.of(List.of("127.0.0.0/8")), Duration.ofSeconds(30), 2_500_000L,
                List.of(RtpCodecSpec.VP8, RtpCodecSpec.VP9, RtpCodecSpec.H264), null, 4);
    }

    public RelayConfig withPort(int newPort) {
        return new RelayConfig(bindAddress, newPort, announcedAddresses, sources, consentTimeout, videoBitrateCap,
                videoCodecs, certificate, dtlsThreads, sourceLimits);
    }

    public RelayConfig withConsentTimeout(Duration timeout) {
        return new RelayConfig(bindAddress, port, announcedAddresses, sources, timeout, videoBitrateCap, videoCodecs,
                certificate, dtlsThreads, sourceLimits);
    }

    public RelayConfig withSourceLimits(SourceRateLimiter.Limits limits) {
        return new RelayConfig(bindAddress, port, announcedAddresses, sources, consentTimeout, videoBitrateCap,
                videoCodecs, certificate, dtlsThreads, limits);
    }
}
