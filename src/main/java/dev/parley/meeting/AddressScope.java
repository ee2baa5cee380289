package dev.parley.meeting;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Who can reach an address: only this machine, only its own network, or the Internet. */
enum AddressScope {
    LOOPBACK, PRIVATE, PUBLIC;

    static AddressScope of(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return LOOPBACK;
        }
        if (address.isSiteLocalAddress() || address.isLinkLocalAddress()) {
            return PRIVATE;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64) {
            return PRIVATE; // 100.64.0.0/10, carrier-grade NAT (RFC 6598)
        }
        if (address instanceof Inet6Address && (bytes[0] & 0xfe) == 0xfc) {
            return PRIVATE; // fc00::/7, unique local (RFC 4193)
        }
        return PUBLIC;
    }

    /** The narrowest scope that reaches every one of them: PUBLIC if any is public. */
    static AddressScope widest(Iterable<InetAddress> addresses) {
        AddressScope widest = LOOPBACK;
        for (InetAddress address : addresses) {
            AddressScope scope = of(address);
            if (scope.ordinal() > widest.ordinal()) {
                widest = scope;
            }
        }
        return widest;
    }
}
