package dev.parley.meeting;

import dev.parley.relay.Relay;
import dev.parley.relay.StunProbe;
import dev.parley.turn.TurnServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The start-up self-check of the media address: whether the addresses the relay announces in its ICE candidates can
 * be reached by the browsers the public URL (PARLEY_ROOMS_PUBLIC_URL) is for. A loopback or private address announced
 * for a public URL is the usual reason why people outside "join but see nobody"; it is said in plain words in the log
 * and on Admin → Live. With a STUN server configured (PARLEY_STUN_SERVER), the address the Internet sees this machine
 * as is asked for too ({@link StunProbe}) and compared with the announced ones.
 */
@Component
public class MediaReachability {

    private static final Logger log = LoggerFactory.getLogger(MediaReachability.class);
    static final int DEFAULT_STUN_PORT = 3478;
    private static final Duration STUN_TIMEOUT = Duration.ofSeconds(3);

    /** What the check found; each is a sentence on Admin → Live. */
    public enum Finding {
        /** The public URL is public but every announced address is loopback. */
        ANNOUNCED_LOOPBACK,
        /** The public URL is public but every announced address is private. */
        ANNOUNCED_PRIVATE,
        /** The STUN server saw this machine as an address the relay does not announce. */
        STUN_DIFFERS,
        /** The STUN server did not answer. */
        STUN_FAILED
    }

    /**
     * @param announced the addresses in the relay's ICE candidates
     * @param port the media port
     * @param publicUrl PARLEY_ROOMS_PUBLIC_URL, empty when unset
     * @param discovered the address the STUN server saw, or null
     * @param stunServer the STUN server asked, or empty
     * @param stunFailure why the STUN server gave no address, or null
     * @param turnUrls the TURN servers browsers get (no credentials)
     */
    public record Report(List<String> announced, int port, String publicUrl, String discovered, String stunServer,
                         String stunFailure, List<String> turnUrls, List<Finding> findings) {

        public boolean has(Finding finding) {
            return findings.contains(finding);
        }

        public String announcedText() {
            return String.join(", ", announced);
        }
    }

    private final Relay relay;
    private final String publicUrl;
    private final InetSocketAddress stunServer;
    private final InetAddress bindAddress;
    private final TurnServers turnServers;
    private volatile Report report;

    MediaReachability(Relay relay, MediaProperties media, TurnServers turnServers,
                      @Value("${parley.rooms.public-url:}") String publicUrl) throws UnknownHostException {
        this.relay = relay;
        this.publicUrl = publicUrl.strip();
        this.stunServer = stunServer(media.stunServer());
        this.bindAddress = InetAddress.getByName(media.bindAddress());
        this.turnServers = turnServers;
    }

    /**
     * PARLEY_STUN_SERVER as {@code host}, {@code host:port} or {@code stun:host[:port]} (port 3478 by default);
     * null when empty. The name is resolved when the check runs.
     *
     * @throws IllegalArgumentException when it is none of these
     */
    static InetSocketAddress stunServer(String setting) {
        String text = setting.strip();
        if (text.isEmpty()) {
            return null;
        }
        if (text.regionMatches(true, 0, "stun:", 0, 5)) {
            text = text.substring(5);
        }
        try {
            URI uri = new URI("stun://" + text);
            if (uri.getHost() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
                    || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException();
            }
            int port = uri.getPort() < 0 ? DEFAULT_STUN_PORT : uri.getPort();
            return InetSocketAddress.createUnresolved(uri.getHost().replaceAll("^\\[|]$", ""), port);
        } catch (Exception e) {
            throw new IllegalArgumentException("PARLEY_STUN_SERVER must be HOST or HOST:PORT (e.g. "
                    + "stun.example.org:3478), not '" + setting.strip() + "'");
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void check() {
        report = run();
        log(report);
    }

    /** The report of the start-up check; null until it ran. */
    public Report report() {
        return report;
    }

    Report run() {
        List<InetAddress> announced = relay.announcedAddresses();
        List<Finding> findings = new ArrayList<>();
        AddressScope publicScope = publicScope(publicUrl);
        AddressScope announcedScope = AddressScope.widest(announced);
        if (publicScope == AddressScope.PUBLIC && announcedScope == AddressScope.LOOPBACK) {
            findings.add(Finding.ANNOUNCED_LOOPBACK);
        } else if (publicScope == AddressScope.PUBLIC && announcedScope == AddressScope.PRIVATE) {
            findings.add(Finding.ANNOUNCED_PRIVATE);
        }
        String discovered = null;
        String failure = null;
        if (stunServer != null) {
            try {
                InetSocketAddress server = new InetSocketAddress(stunServer.getHostString(), stunServer.getPort());
                InetAddress seen = StunProbe.mappedAddress(server, bindAddress, STUN_TIMEOUT).getAddress();
                discovered = seen.getHostAddress();
                if (!announced.contains(seen)) {
                    findings.add(Finding.STUN_DIFFERS);
                }
            } catch (IOException e) {
                failure = e.getMessage();
                findings.add(Finding.STUN_FAILED);
            }
        }
        return new Report(announced.stream().map(InetAddress::getHostAddress).toList(), relay.port(), publicUrl,
                discovered, stunServer == null ? "" : stunServer.getHostString() + ":" + stunServer.getPort(), failure,
                turnServers.urls(), List.copyOf(findings));
    }

    /** How far the public URL's host reaches; null when there is no public URL (nothing to compare with). */
    static AddressScope publicScope(String publicUrl) {
        if (publicUrl.isEmpty()) {
            return null;
        }
        String host;
        try {
            host = URI.create(publicUrl).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (host == null) {
            return null;
        }
        host = host.toLowerCase(Locale.ROOT).replaceAll("^\\[|]$", "");
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return AddressScope.LOOPBACK;
        }
        try {
            return AddressScope.widest(Arrays.asList(InetAddress.getAllByName(host)));
        } catch (UnknownHostException e) {
            return AddressScope.PUBLIC; // a name this machine cannot resolve is one for browsers elsewhere
        }
    }

    private void log(Report report) {
        log.info("Media: the relay announces {} on udp/{}{}{}", report.announcedText(), report.port(),
                report.discovered() == null ? "" : "; the STUN server " + report.stunServer() + " sees this machine as "
                        + report.discovered(),
                report.turnUrls().isEmpty() ? "" : "; TURN: " + report.turnUrls());
        String turnNote = report.turnUrls().isEmpty()
                ? " Or give browsers a TURN server (PARLEY_TURN_URLS) that can reach it."
                : " Browsers can still connect through the TURN server if it can reach that address.";
        if (report.has(Finding.ANNOUNCED_LOOPBACK) || report.has(Finding.ANNOUNCED_PRIVATE)) {
            log.warn("The media address Parley announces to browsers ({}) is {} address, but the public URL {} is "
                            + "public: browsers outside this {} will not reach the media port, and people will join but "
                            + "see and hear nobody. Set PARLEY_MEDIA_ANNOUNCED_ADDRESSES to this machine's public "
                            + "address (behind NAT, forward UDP port {} to this machine).{}", report.announcedText(),
                    report.has(Finding.ANNOUNCED_LOOPBACK) ? "a loopback" : "a private", report.publicUrl(),
                    report.has(Finding.ANNOUNCED_LOOPBACK) ? "machine" : "network", report.port(),
                    report.discovered() == null ? turnNote
                            : " The STUN server sees this machine as " + report.discovered() + "." + turnNote);
        } else if (report.has(Finding.STUN_DIFFERS)) {
            log.warn("The STUN server {} sees this machine as {}, which Parley does not announce ({}); browsers that "
                    + "reach this machine only by that address cannot send media. If it is this machine's public "
                    + "address, add it to PARLEY_MEDIA_ANNOUNCED_ADDRESSES.", report.stunServer(), report.discovered(),
                    report.announcedText());
        }
        if (report.has(Finding.STUN_FAILED)) {
            log.warn("PARLEY_STUN_SERVER: could not learn this machine's public address: {}", report.stunFailure());
        }
    }
}
