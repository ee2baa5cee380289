package dev.parley.relay;

import dev.parley.relay.sdp.IceCandidate;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's ICE host candidates: one per announced address on the one UDP media port, and, when ICE-TCP is on, a
 * passive TCP candidate (RFC 6544) per address. TCP candidates rank below every UDP one, so UDP wins wherever it works.
 */
final class HostCandidates {

    private static final Logger log = LoggerFactory.getLogger(HostCandidates.class);

    private HostCandidates() {
    }

    /** @param tcpPort the ICE-TCP port, or -1 for none */
    static List<IceCandidate> of(List<InetAddress> addresses, int port, int tcpPort) {
        List<IceCandidate> candidates = new ArrayList<>();
        int foundation = 1;
        for (InetAddress address : addresses) {
            candidates.add(IceCandidate.host(String.valueOf(foundation), 1, "udp",
                    IceCandidate.priority(126, 65535 - foundation, 1), address.getHostAddress(), port));
            foundation++;
        }
        if (tcpPort >= 0) {
            int index = 0;
            for (InetAddress address : addresses) {
                // RFC 6544 section 4.2: local preference = 2^13 * direction preference (passive host: 4) + other.
                int localPreference = (4 << 13) + 8191 - index++;
                candidates.add(new IceCandidate(String.valueOf(foundation++), 1, "tcp",
                        IceCandidate.priority(90, localPreference, 1), address.getHostAddress(), tcpPort,
                        IceCandidate.HOST, null, null, "passive", Map.of()));
            }
        }
        return candidates;
    }

    /** The machine's IPv4 addresses on interfaces that are up, loopback last (used only if nothing else exists). */
    static List<InetAddress> localAddresses() {
        List<InetAddress> result = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
                        result.add(address);
                    }
                }
            }
        } catch (SocketException e) {
            log.warn("Could not list network interfaces: {}", e.toString());
        }
        if (result.isEmpty()) {
            result.add(InetAddress.getLoopbackAddress());
        }
        return result;
    }
}
