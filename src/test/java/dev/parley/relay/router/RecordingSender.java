package dev.parley.relay.router;

import dev.parley.relay.packet.DatagramSender;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A {@link DatagramSender} that keeps a copy of every datagram with its destination, for tests to inspect. */
final class RecordingSender implements DatagramSender {

    /** One datagram the relay sent, exactly as it left (still SRTP-protected). */
    record Datagram(byte[] data, InetSocketAddress to) {

        /** RFC 7983 / RFC 5761: an RTCP packet type (192..223) in the second byte; RTP otherwise. */
        boolean isRtcp() {
            int type = data[1] & 0xFF;
            return type >= 192 && type <= 223;
        }
    }

    private final List<Datagram> sent = new ArrayList<>();
    private boolean refusing;

    @Override
    public boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
        if (refusing) {
            return false;
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        sent.add(new Datagram(copy, to));
        return true;
    }

    /** Makes every following send fail, as a full socket buffer would. */
    void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /** Removes and returns the datagrams sent to {@code to} that are RTCP ({@code rtcp}) or RTP (not). */
    List<Datagram> take(InetSocketAddress to, boolean rtcp) {
        List<Datagram> taken = new ArrayList<>();
        for (Iterator<Datagram> it = sent.iterator(); it.hasNext(); ) {
            Datagram d = it.next();
            if (d.to().equals(to) && d.isRtcp() == rtcp) {
                taken.add(d);
                it.remove();
            }
        }
        return taken;
    }

    /** Every datagram sent to {@code to} and not yet taken. */
    List<Datagram> pending(InetSocketAddress to) {
        return sent.stream().filter(d -> d.to().equals(to)).toList();
    }

    void clear() {
        sent.clear();
    }
}
