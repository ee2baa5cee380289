package dev.parley.meeting;

import dev.parley.relay.RelayConfig;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The relay's settings (environment: PARLEY_MEDIA_*).
 *
 * @param port the one UDP port for all media
 * @param bindAddress the address the media socket binds to
 * @param announcedAddresses addresses put into ICE candidates (a public address behind NAT); empty: the machine's own
 * @param allowedSources CIDR ranges that may send ICE checks; empty: anyone
 * @param consentTimeout how long a participant survives without ICE consent checks
 * @param videoBitrate the bitrate cap the relay tells publishers (REMB), bit/s
 * @param videoCodecs video codecs in order of preference (VP8, VP9, H264)
 * @param certificate PEM certificate for DTLS (optional; generated at start-up when empty)
 * @param privateKey PEM private key for that certificate
 * @param dtlsThreads threads for DTLS handshakes
 * @param stunBurstPerSource STUN binding requests one source IP address may send at once
 * @param stunRatePerSource STUN binding requests one source IP address may send per second in the long run
 * @param dtlsBurstPerSource DTLS ClientHellos one source IP address may send at once
 * @param dtlsRatePerSource DTLS ClientHellos one source IP address may send per second in the long run
 * @param simulcast whether browsers publish video in three layers (each receiver gets the one its tile and bandwidth
 *     suit)
 * @param lastN above this many participants sending video in a room, only the most recent speakers' video is
 *     forwarded; the others show their name and picture
 * @param tcpPort the TCP port for passive ICE-TCP candidates, for browsers whose network lets no UDP through; -1 (the
 *     default): none. {@code PARLEY_MEDIA_TCP_PORT=https} shares Parley's HTTPS port instead
 *     ({@link dev.parley.tls.OnePort}), which sets this to the HTTPS port and {@code tcpShared}
 * @param tcpShared whether the ICE-TCP port is the HTTPS port, whose connections are told apart by their first bytes
 * @param nackRepair whether the relay repairs loss with retransmissions (NACK, RTX); an operator switch, turned off
 *     only to compare: without repair, loss is recovered by key frames
 * @param stunServer a STUN server ({@code host[:port]}) that tells at start which address the Internet sees this
 *     machine as, for the self-check of the announced addresses ({@link MediaReachability}); empty: none asked
 * @param socket the media socket: {@code auto} (the default) batches reads and sends on Netty's native epoll
 *     transport where it loads, else uses the JDK's channel; {@code epoll} or {@code jdk} insists on one
 * @param gso whether the epoll socket sends a run of datagrams of one size to one address as one UDP GSO send where
 *     the kernel has it; off by default (measured only on loopback, where it cost more than it saved)
 */
@ConfigurationProperties(prefix = "parley.media")
public record MediaProperties(@DefaultValue("10000") int port,
                              @DefaultValue("0.0.0.0") String bindAddress,
                              @DefaultValue List<String> announcedAddresses,
                              @DefaultValue List<String> allowedSources,
                              @DefaultValue("30s") Duration consentTimeout,
                              @DefaultValue("2500000") long videoBitrate,
                              @DefaultValue({"VP8", "VP9", "H264"}) List<String> videoCodecs,
                              @DefaultValue("") String certificate,
                              @DefaultValue("") String privateKey,
                              @DefaultValue("4") int dtlsThreads,
                              @DefaultValue("200") int stunBurstPerSource,
                              @DefaultValue("100") double stunRatePerSource,
                              @DefaultValue("50") int dtlsBurstPerSource,
                              @DefaultValue("10") double dtlsRatePerSource,
                              @DefaultValue("true") boolean simulcast,
                              @DefaultValue("25") int lastN,
                              @DefaultValue("true") boolean nackRepair,
                              @DefaultValue("-1") int tcpPort,
                              @DefaultValue("false") boolean tcpShared,
                              @DefaultValue("") String stunServer,
                              @DefaultValue("auto") RelayConfig.SocketKind socket,
                              @DefaultValue("false") boolean gso) {
}
