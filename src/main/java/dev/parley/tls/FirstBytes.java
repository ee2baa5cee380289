package dev.parley.tls;

/**
 * Tells what a connection to the shared HTTPS port carries from its first bytes: a TLS record (0x16, then a 3.x
 * version) goes to the web server; an RFC 4571 frame holding a STUN binding request (length, type 0x0001, a length,
 * then the magic cookie 0x2112A442) goes to the relay's ICE-TCP path. A browser's ICE-TCP connection always starts
 * with a connectivity check (RFC 6544), and a TLS client always starts with a ClientHello, so the two never look alike.
 */
enum FirstBytes {
    /** Too few bytes to tell yet. */
    MORE,
    TLS,
    ICE_TCP,
    /** Neither: closed. */
    UNKNOWN;

    /** Bytes enough to tell any connection apart. */
    static final int NEEDED = 10;

    private static final int STUN_HEADER = 20;

    /** @param maxFrame the longest ICE-TCP frame taken */
    static FirstBytes of(byte[] buf, int len, int maxFrame) {
        if (len >= 1 && buf[0] == 0x16) {
            if (len < 2) {
                return MORE;
            }
            return buf[1] == 0x03 ? TLS : UNKNOWN;
        }
        if (len < NEEDED) {
            return MORE;
        }
        int frame = ((buf[0] & 0xFF) << 8) | (buf[1] & 0xFF);
        int stunLength = ((buf[4] & 0xFF) << 8) | (buf[5] & 0xFF);
        boolean binding = buf[2] == 0x00 && buf[3] == 0x01;
        boolean cookie = buf[6] == 0x21 && buf[7] == 0x12 && buf[8] == (byte) 0xA4 && buf[9] == 0x42;
        return binding && cookie && frame >= STUN_HEADER && frame <= maxFrame && frame == STUN_HEADER + stunLength
                ? ICE_TCP : UNKNOWN;
    }
}
