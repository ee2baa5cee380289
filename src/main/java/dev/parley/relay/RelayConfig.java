package dev.parley.relay;

import dev.parley.relay.ice.SourceFilter;
import dev.parley.relay.router.MediaKind;
import dev.parley.relay.router.RtpCodecSpec;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the relay runs. Checked when built: a bad address range or codec name fails here, with a message naming it.
 *
 * @param bindAddress address of the media socket (0.0.0.0 for every interface)
 * @param port the one UDP port for all media; 0 picks a free one (tests)
 * @param announcedAddresses addresses written into ICE candidates; empty: the machine's own non-loopback addresses
 * @param allowedSources CIDR ranges that may send ICE checks ("127.0.0.0/8", "fd00::/8"); empty: anyone
 * @param consentTimeout how long a transport lives without valid checks (RFC 7675 suggests 30 s)
 * @param videoBitrateCap the REMB the relay sends publishers, in bit/s
 * @param videoCodecs video codec names (VP8, VP9, H264) in the relay's order of preference
 * @param certificate the DTLS certificate and key as PEM files, or null to generate one at start-up
 * @param dtlsThreads threads for DTLS handshakes (each in-flight handshake holds one)
 * @param sourceLimits per source address limits on STUN binding requests and DTLS ClientHellos
 * @param simulcast whether browsers publish video in three layers, each subscriber getting the one that suits it
 * @param lastN above this many video senders in a room, only the most recent speakers' video is forwarded
 * @param nackRepair whether the relay repairs loss: answers subscribers' NACKs from its cache as RTX and NACKs the
 *     publisher for gaps on its leg; off (only to compare), loss is recovered by key frames
 * @param tcpPort the TCP port of the passive ICE-TCP candidates (RFC 6544) for networks that let no UDP through;
 *     0 picks a free one, -1 offers no TCP candidates
 * @param tcpShared whether that port is another listener's (Parley's HTTPS port, told apart by first bytes): the
 *     relay then binds nothing, announces {@code tcpPort} and takes the connections it is handed
 *     ({@link Relay#acceptTcp})
 * @param socket the media socket's kind: batched reads and sends on Netty's native epoll transport, or the JDK's
 *     channel (one system call per datagram)
 * @param gso whether the epoll socket sends runs of datagrams of one size to one address as one UDP GSO send, where
 *     the kernel has it (off by default: on loopback it cost more CPU than it saved, docs/performance.md)
 */
public record RelayConfig(InetAddress bindAddress, int port, List<InetAddress> announcedAddresses,
                          List<String> allowedSources, Duration consentTimeout, long videoBitrateCap,
                          List<String> videoCodecs, CertificateFiles certificate, int dtlsThreads,
                          SourceLimits sourceLimits, boolean simulcast, int lastN, boolean nackRepair,
                          int tcpPort, boolean tcpShared, SocketKind socket, boolean gso) {

    public RelayConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        announcedAddresses = List.copyOf(announcedAddresses);
        allowedSources = List.copyOf(allowedSources);
        SourceFilter.of(allowedSources);
        videoCodecs = List.copyOf(videoCodecs);
        for (String name : videoCodecs) {
            RtpCodecSpec spec = RtpCodecSpec.canonical(name.strip());
            if (spec == null || spec.kind() != MediaKind.VIDEO) {
                throw new IllegalArgumentException("unknown video codec " + name);
            }
        }
        if (videoCodecs.isEmpty()) {
            throw new IllegalArgumentException("at least one video codec is needed");
        }
        if (port < 0 || port > 65535 || dtlsThreads < 1 || videoBitrateCap <= 0 || consentTimeout.isNegative()
                || consentTimeout.isZero()) {
            throw new IllegalArgumentException("port, DTLS threads, bitrate cap and consent timeout must be sensible");
        }
        Objects.requireNonNull(sourceLimits, "sourceLimits");
        if (tcpPort < -1 || tcpPort > 65535) {
            throw new IllegalArgumentException("the ICE-TCP port must be a port, 0 (any free one) or -1 (none)");
        }
        if (tcpShared && tcpPort < 1) {
            throw new IllegalArgumentException("a shared ICE-TCP port must be the port it is shared on");
        }
        Objects.requireNonNull(socket, "socket");
        if (lastN < 1) {
            throw new IllegalArgumentException("last-N must be at least 1");
        }
    }

    /** On 127.0.0.1, a free port, loopback sources only, default limits: what tests and the load generator use. */
    public static RelayConfig loopback() {
        return new RelayConfig(InetAddress.getLoopbackAddress(), 0, List.of(InetAddress.getLoopbackAddress()),
                List.of("127.0.0.0/8"), Duration.ofSeconds(30), 2_500_000L, List.of("VP8", "VP9", "H264"), null, 4,
                SourceLimits.defaults(), true, 25, true, -1, false, SocketKind.AUTO, false);
    }

    public RelayConfig withPort(int newPort) {
        return new RelayConfig(bindAddress, newPort, announcedAddresses, allowedSources, consentTimeout,
                videoBitrateCap, videoCodecs, certificate, dtlsThreads, sourceLimits, simulcast, lastN, nackRepair,
                tcpPort, tcpShared, socket, gso);
    }

    public RelayConfig withConsentTimeout(Duration timeout) {
        return new RelayConfig(bindAddress, port, announcedAddresses, allowedSources, timeout, videoBitrateCap,
                videoCodecs, certificate, dtlsThreads, sourceLimits, simulcast, lastN, nackRepair,
                tcpPort, tcpShared, socket, gso);
    }

    public RelayConfig withSourceLimits(SourceLimits limits) {
        return new RelayConfig(bindAddress, port, announcedAddresses, allowedSources, consentTimeout, videoBitrateCap,
                videoCodecs, certificate, dtlsThreads, limits, simulcast, lastN, nackRepair,
                tcpPort, tcpShared, socket, gso);
    }

    public RelayConfig withAllowedSources(List<String> ranges) {
        return new RelayConfig(bindAddress, port, announcedAddresses, ranges, consentTimeout, videoBitrateCap,
                videoCodecs, certificate, dtlsThreads, sourceLimits, simulcast, lastN, nackRepair,
                tcpPort, tcpShared, socket, gso);
    }

    public RelayConfig withSimulcast(boolean enabled) {
        return new RelayConfig(bindAddress, port, announcedAddresses, allowedSources, consentTimeout, videoBitrateCap,
                videoCodecs, certificate, dtlsThreads, sourceLimits, enabled, lastN, nackRepair,
                tcpPort, tcpShared, socket, gso);
    }

    public RelayConfig withLastN(int n) {
        return new RelayConfig(bindAddress, port, announcedAddresses, allowedSources, consentTimeout, videoBitrateCap,
                videoCodecs, certificate, dtlsThreads, sourceLimits, simulcast, n, nackRepair, tcpPort, tcpShared,
                socket, gso);
    }

    public RelayConfig withNackRepair(boolean enabled) {
        return new RelayConfig(bindAddress, port, announcedAddresses, allowedSources, consentTimeout, videoBitrateCap,
                videoCodecs, certificate, dtlsThreads, sourceLimits, simulcast, lastN, enabled, tcpPort, tcpShared,
                socket, gso);
    }

    /** @param newPort the ICE-TCP port; 0 any free one, -1 none */
    public RelayConfig withTcpPort(int newPort) {
        return new RelayConfig(bindAddress, port, announcedAddresses, allowedSources, consentTimeout, videoBitrateCap,
                videoCodecs, certificate, dtlsThreads, sourceLimits, simulcast, lastN, nackRepair,
                newPort, false, socket, gso);
    }

    /** ICE-TCP on a port another listener owns and hands connections over from ({@link Relay#acceptTcp}). */
    public RelayConfig withSharedTcpPort(int sharedPort) {
        return new RelayConfig(bindAddress, port, announcedAddresses, allowedSources, consentTimeout, videoBitrateCap,
                videoCodecs, certificate, dtlsThreads, sourceLimits, simulcast, lastN, nackRepair,
                sharedPort, true, socket, gso);
    }

    public RelayConfig withSocket(SocketKind kind) {
        return new RelayConfig(bindAddress, port, announcedAddresses, allowedSources, consentTimeout, videoBitrateCap,
                videoCodecs, certificate, dtlsThreads, sourceLimits, simulcast, lastN, nackRepair, tcpPort, tcpShared,
                kind, gso);
    }

    public RelayConfig withGso(boolean on) {
        return new RelayConfig(bindAddress, port, announcedAddresses, allowedSources, consentTimeout, videoBitrateCap,
                videoCodecs, certificate, dtlsThreads, sourceLimits, simulcast, lastN, nackRepair, tcpPort, tcpShared,
                socket, on);
    }

    /**
     * The media socket's kind. {@code AUTO}: epoll where Netty's native library loads (Linux on x86_64 or aarch64),
     * else the JDK's; {@code EPOLL} fails to start where it does not load.
     */
    public enum SocketKind { AUTO, EPOLL, JDK }

    /** A DTLS certificate and its private key, PEM files. */
    public record CertificateFiles(Path certificate, Path privateKey) {
        public CertificateFiles {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(privateKey, "privateKey");
        }
    }

    /**
     * Per source address limits: a token bucket each for STUN binding requests and for DTLS ClientHellos.
     *
     * @param stunBurst binding requests a source may send at once
     * @param stunPerSecond binding requests a source may send per second in the long run
     * @param dtlsBurst DTLS ClientHellos a source may send at once
     * @param dtlsPerSecond DTLS ClientHellos a source may send per second in the long run
     * @param maxSources how many source addresses are tracked at most
     * @param idle how long a silent source is remembered
     */
    public record SourceLimits(int stunBurst, double stunPerSecond, int dtlsBurst, double dtlsPerSecond,
                               int maxSources, Duration idle) {

        /**
         * Generous enough for a whole office behind one NAT address: each browser sends a few checks a second while
         * it connects and one every few seconds after (RFC 7675), and one ClientHello (plus retransmissions) per
         * connection. A flood is held to these rates.
         */
        public static SourceLimits defaults() {
            return new SourceLimits(200, 100, 50, 10, 16_384, Duration.ofSeconds(30));
        }

        /** Effectively no limit (load generation, where every synthetic participant shares 127.0.0.1). */
        public static SourceLimits unlimited() {
            return new SourceLimits(1_000_000, 1_000_000, 1_000_000, 1_000_000, 16_384, Duration.ofSeconds(30));
        }

        public SourceLimits {
            if (stunBurst < 1 || dtlsBurst < 1 || !(stunPerSecond > 0) || !(dtlsPerSecond > 0) || maxSources < 1
                    || idle.isNegative() || idle.isZero()) {
                throw new IllegalArgumentException("source rate limits must be positive");
            }
        }
    }
}
