package dev.parley.relay.rtcp;

/** Packets written by hand from the diagrams of RFC 3550, RFC 4585, RFC 5104 and draft-alvestrand-rmcat-remb. */
final class RtcpSamples {

    /** RFC 3550 6.4.1: SR with one report block. */
    static final byte[] SENDER_REPORT = Hex.bytes(
            "81 C8 00 0C" // V=2 P=0 RC=1 | PT=200 | length 12 (13 words, 52 bytes)
            + "11 22 33 44" // SSRC of sender
            + "E8 D4 A5 10" // NTP timestamp, most significant word
            + "80 00 00 00" // NTP timestamp, least significant word (.5 s)
            + "00 01 5F 90" // RTP timestamp 90000
            + "00 00 03 E8" // sender's packet count 1000
            + "00 0F 42 40" // sender's octet count 1000000
            + "55 66 77 88" // SSRC_1
            + "40 FF FF FE" // fraction lost 64/256 | cumulative lost -2
            + "00 01 00 05" // extended highest sequence number: cycle 1, seq 5
            + "00 00 01 2C" // interarrival jitter 300
            + "A5 10 80 00" // LSR
            + "00 01 80 00"); // DLSR 1.5 s

    /** RFC 3550 6.4.2: RR with one report block. */
    static final byte[] RECEIVER_REPORT = Hex.bytes(
            "81 C9 00 07" // V=2 P=0 RC=1 | PT=201 | length 7
            + "0A 0B 0C 0D" // SSRC of packet sender
            + "11 22 33 44" // SSRC_1
            + "FF 7F FF FF" // fraction lost 255 | cumulative lost 8388607
            + "00 00 FF FF" // extended highest sequence number
            + "00 00 00 00" // jitter
            + "00 00 00 00" // LSR
            + "00 00 00 00"); // DLSR

    /** RFC 3550 6.5: SDES, one chunk, CNAME "user@host" (9 bytes): item 11 bytes + 1 null octet = 12. */
    static final byte[] SDES_CNAME = Hex.bytes(
            "81 CA 00 04" // V=2 P=0 SC=1 | PT=202 | length 4
            + "11 22 33 44" // SSRC
            + "01 09 75 73 65 72 40 68 6F 73 74 00"); // CNAME=1 | length 9 | "user@host" | end of list

    /** RFC 3550 6.6: BYE for two sources with reason "bye!!" (1 + 5 bytes, padded to 8). */
    static final byte[] BYE_WITH_REASON = Hex.bytes(
            "82 CB 00 04" // V=2 P=0 SC=2 | PT=203 | length 4
            + "11 22 33 44"
            + "55 66 77 88"
            + "05 62 79 65 21 21 00 00"); // length 5 | "bye!!" | padding

    /** RFC 4585 6.2.1: generic NACK, PID 100, BLP 0x8005: lost 100, 101, 103, 116. */
    static final byte[] NACK = Hex.bytes(
            "81 CD 00 03" // V=2 P=0 FMT=1 | PT=205 | length 3
            + "11 22 33 44" // SSRC of packet sender
            + "55 66 77 88" // SSRC of media source
            + "00 64 80 05"); // PID | BLP

    /** RFC 4585 6.3.1: PLI. */
    static final byte[] PLI = Hex.bytes("81 CE 00 02 | 11 22 33 44 | 55 66 77 88");

    /** RFC 5104 4.3.1: FIR, media source 0, one entry for SSRC 0x55667788 with command sequence number 7. */
    static final byte[] FIR = Hex.bytes(
            "84 CE 00 04" // V=2 P=0 FMT=4 | PT=206 | length 4
            + "11 22 33 44" // SSRC of packet sender
            + "00 00 00 00" // SSRC of media source (unused, 0)
            + "55 66 77 88" // SSRC
            + "07 00 00 00"); // Seq nr. | Reserved

    /**
     * draft-alvestrand-rmcat-remb-03 2.2: REMB of 1,000,000 bps for one SSRC. 1e6 needs 20 bits, so exp 2 and mantissa
     * 250000 (0x3D090): |000010|11 1101 0000 1001 0000| = 0B D0 90.
     */
    static final byte[] REMB = Hex.bytes(
            "8F CE 00 05" // V=2 P=0 FMT=15 | PT=206 | length 5
            + "11 22 33 44" // SSRC of packet sender
            + "00 00 00 00" // SSRC of media source
            + "52 45 4D 42" // 'R' 'E' 'M' 'B'
            + "01 0B D0 90" // Num SSRC 1 | BR Exp 2 | BR Mantissa 250000
            + "55 66 77 88"); // SSRC feedback

    /** Transport-wide CC feedback (RTPFB FMT 15): base seq 1, status count 1, reference time, fb count, one chunk. */
    static final byte[] TRANSPORT_CC = Hex.bytes(
            "8F CD 00 05 | 11 22 33 44 | 55 66 77 88 | 00 01 00 01 | 00 00 01 00 | 20 01 04 00");

    private RtcpSamples() {
    }
}
