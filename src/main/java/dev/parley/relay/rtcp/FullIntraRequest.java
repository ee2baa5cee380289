package dev.parley.relay.rtcp;

import dev.parley.relay.util.Bytes;

/**
 * Full intra request, PSFB FMT 4 (RFC 5104 section 4.3.1). The media source SSRC of the common header is 0; the FCI is
 * a list of 8-byte entries |SSRC|seq nr (8)|reserved (24)|, one per media sender asked for a decoder refresh.
 */
public final class FullIntraRequest extends FeedbackMessage {

    static final int ENTRY_LENGTH = 8;

    public boolean wrap(byte[] buf, int off, int len) {
        return wrapFeedback(buf, off, len, RtcpHeader.PSFB, RtcpHeader.FMT_FIR);
    }

    public int entryCount() {
        return fciLength / ENTRY_LENGTH;
    }

    public int entrySsrc(int index) {
        return Bytes.int32(buf, entry(index));
    }

    /** Command sequence number: increases by one per new request, so repeats of one request can be recognised. */
    public int entrySequenceNumber(int index) {
        return Bytes.uint8(buf, entry(index) + 4);
    }

    public void setEntrySsrc(int index, int ssrc) {
        Bytes.putInt32(buf, entry(index), ssrc);
    }

    public void setEntrySequenceNumber(int index, int sequenceNumber) {
        buf[entry(index) + 4] = (byte) sequenceNumber;
    }

    /** Writes a FIR with one entry; returns the length (20) or -1 if it does not fit. */
    public static int write(byte[] buf, int off, int senderSsrc, int mediaSsrc, int sequenceNumber) {
        int size = FCI_OFFSET + ENTRY_LENGTH;
        if (!RtcpHeader.hasRoom(buf, off, size)) {
            return -1;
        }
        writeCommon(buf, off, RtcpHeader.FMT_FIR, RtcpHeader.PSFB, size, senderSsrc, 0);
        writeEntry(buf, off + FCI_OFFSET, mediaSsrc, sequenceNumber);
        return size;
    }

    /** Writes a FIR with {@code count} entries; returns the length or -1 if it does not fit. */
    public static int write(byte[] buf, int off, int senderSsrc, int[] mediaSsrcs, int[] sequenceNumbers,
            int count) {
        if (count < 1 || count > mediaSsrcs.length || count > sequenceNumbers.length) {
            throw new IllegalArgumentException("FIR needs 1..n entries");
        }
        long size = FCI_OFFSET + (long) ENTRY_LENGTH * count;
        if (size > RtcpHeader.MAX_SIZE || !RtcpHeader.hasRoom(buf, off, (int) size)) {
            return -1;
        }
        writeCommon(buf, off, RtcpHeader.FMT_FIR, RtcpHeader.PSFB, (int) size, senderSsrc, 0);
        for (int i = 0; i < count; i++) {
            writeEntry(buf, off + FCI_OFFSET + ENTRY_LENGTH * i, mediaSsrcs[i], sequenceNumbers[i]);
        }
        return (int) size;
    }

    private static void writeEntry(byte[] buf, int at, int ssrc, int sequenceNumber) {
        Bytes.putInt32(buf, at, ssrc);
        buf[at + 4] = (byte) sequenceNumber;
        buf[at + 5] = 0;
        buf[at + 6] = 0;
        buf[at + 7] = 0;
    }

    private int entry(int index) {
        if (index < 0 || index >= entryCount()) {
            throw new IndexOutOfBoundsException(index);
        }
        return fciOffset() + ENTRY_LENGTH * index;
    }
}
