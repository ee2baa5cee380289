package dev.parley.relay.rtcp;

import dev.parley.relay.util.Bytes;

/**
 * Writes an SR or RR with 0..31 report blocks into a caller buffer:
 * {@code beginSenderReport(...)} or {@code beginReceiverReport(...)}, {@code addReportBlock(...)} per source, then
 * {@link #finish()}, which returns the packet length or -1 if it did not fit. Reusable; not thread-safe.
 */
public final class ReportWriter {

    private byte[] buf;
    private int off;
    private int end;
    private int pos;
    private int packetType;
    private int count;
    private boolean overflow;

    public ReportWriter beginSenderReport(byte[] buf, int off, int senderSsrc, long ntpTimestamp, long rtpTimestamp,
            long packetCount, long octetCount) {
        if (begin(buf, off, RtcpHeader.SR, SenderReport.FIXED_LENGTH)) {
            Bytes.putInt32(buf, off + 4, senderSsrc);
            Bytes.putInt64(buf, off + 8, ntpTimestamp);
            Bytes.putInt32(buf, off + 16, (int) rtpTimestamp);
            Bytes.putInt32(buf, off + 20, (int) packetCount);
            Bytes.putInt32(buf, off + 24, (int) octetCount);
        }
        return this;
    }

    public ReportWriter beginReceiverReport(byte[] buf, int off, int senderSsrc) {
        if (begin(buf, off, RtcpHeader.RR, ReceiverReport.FIXED_LENGTH)) {
            Bytes.putInt32(buf, off + 4, senderSsrc);
        }
        return this;
    }

    /**
     * Appends a report block; returns false (and writes nothing) when 31 blocks are already present or the buffer is
     * full, in which case {@link #finish()} still yields a valid packet with the blocks added so far unless the
     * buffer ran out. {@code cumulativeLost} is clamped to the 24-bit signed range; the other values are truncated to
     * their field widths.
     */
    public boolean addReportBlock(int ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequenceNumber,
            long jitter, long lastSenderReport, long delaySinceLastSenderReport) {
        if (buf == null || overflow || count == RtcpHeader.MAX_COUNT) {
            return false;
        }
        if (end - pos < ReportBlock.LENGTH) {
            return false;
        }
        ReportBlock.write(buf, pos, ssrc, fractionLost, cumulativeLost, extendedHighestSequenceNumber, jitter,
                lastSenderReport, delaySinceLastSenderReport);
        pos += ReportBlock.LENGTH;
        count++;
        return true;
    }

    public int reportCount() {
        return count;
    }

    /** Writes the header and returns the packet length, or -1 if even the fixed part did not fit. */
    public int finish() {
        if (buf == null || overflow) {
            return -1;
        }
        int size = pos - off;
        RtcpHeader.write(buf, off, count, packetType, size);
        return size;
    }

    private boolean begin(byte[] buf, int off, int packetType, int fixedLength) {
        this.buf = buf;
        this.off = off;
        this.packetType = packetType;
        this.count = 0;
        this.overflow = !RtcpHeader.hasRoom(buf, off, fixedLength);
        this.end = overflow ? off : buf.length;
        this.pos = off + fixedLength;
        return !overflow;
    }
}
