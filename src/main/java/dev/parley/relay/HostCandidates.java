package dev.parley.relay;

import dev.parley.relay.sdp.IceCandidate;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The relay's ICE host candidates: one per announced address, all on the one media port. */
final class HostCandidates {

    private static final Logger log = LoggerFactory.getLogger(HostCandidates.class);

    private HostCandidates() {
    }

    static List<IceCandidate> of(List<InetAddress> addresses, int port) {
        List<IceCandidate> candidates = new ArrayList<>();
        int foundation = 1;
        for (InetAddress address : addresses) {
            candidates.add(IceCandidate.host(String.valueOf(foundation), 1, "udp",
                    IceCandidate.priority(126, 65535 - foundation, 1), address.getHostAddress(), port));
            foundation++;
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
