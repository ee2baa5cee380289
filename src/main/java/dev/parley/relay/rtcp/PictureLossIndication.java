package dev.parley.relay.rtcp;

/** Picture loss indication, PSFB FMT 1 (RFC 4585 section 6.3.1): common feedback header, no FCI. */
public final class PictureLossIndication extends FeedbackMessage {

    public static final int LENGTH = 12;

    public boolean wrap(byte[] buf, int off, int len) {
        return wrapFeedback(buf, off, len, RtcpHeader.PSFB, RtcpHeader.FMT_PLI);
    }

    /** Writes a 12-byte PLI; returns 12 or -1 if it does not fit. */
    public static int write(byte[] buf, int off, int senderSsrc, int mediaSsrc) {
        if (!RtcpHeader.hasRoom(buf, off, LENGTH)) {
            return -1;
        }
        writeCommon(buf, off, RtcpHeader.FMT_PLI, RtcpHeader.PSFB, LENGTH, senderSsrc, mediaSsrc);
        return LENGTH;
    }
}
