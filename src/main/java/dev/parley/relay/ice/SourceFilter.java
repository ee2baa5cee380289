package dev.parley.relay.ice;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which source addresses may run ICE checks against the relay: a list of CIDR ranges, empty meaning "anyone". Tests
 * on a shared machine set it to 127.0.0.0/8 so that no packet ever goes to a non-loopback address.
 */
public final class SourceFilter {

    private record Range(byte[] network, int prefixLength) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = prefixLength;
            for (int i = 0; i < address.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((address[i] & mask) != (network[i] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Range> ranges;

    private SourceFilter(List<Range> ranges) {
        this.ranges = ranges;
    }

    /** Parses ranges such as "127.0.0.0/8", "10.0.0.1" or "fd00::/8". */
    public static SourceFilter of(List<String> cidrs) {
        return new SourceFilter(cidrs.stream().map(String::strip).filter(s -> !s.isEmpty()).map(SourceFilter::parse).toList());
    }

    private static Range parse(String cidr) {
        String[] parts = cidr.split("/", 2);
        try {
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("bad prefix length in " + cidr);
            }
            return new Range(network, prefix);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not an address range: " + cidr, e);
        }
    }

    public boolean allows(InetAddress address) {
        if (ranges.isEmpty()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        for (Range range : ranges) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    public boolean isOpen() {
        return ranges.isEmpty();
    }
}
