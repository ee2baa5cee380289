package dev.parley.relay.sdp;

import java.util.List;

/** The c= line: {@code c=<nettype> <addrtype> <connection-address>} (the address may carry /ttl/count suffixes). */
public record Connection(String netType, String addrType, String address) {

    /** {@code c=IN IP4 0.0.0.0}, what JSEP endpoints write when the real address is in the candidates. */
    public static final Connection UNSPECIFIED_IP4 = new Connection("IN", "IP4", "0.0.0.0");

    public Connection {
        Syntax.word(netType, "connection network type");
        Syntax.word(addrType, "connection address type");
        Syntax.word(address, "connection address");
    }

    static Connection parse(String value) {
        List<String> w = Syntax.words(value);
        if (w.size() != 3) {
            throw new IllegalArgumentException("c= line needs 3 fields (nettype addrtype address), found " + w.size());
        }
        return new Connection(w.get(0), w.get(1), w.get(2));
    }

    String format() {
        return netType + ' ' + addrType + ' ' + address;
    }
}
