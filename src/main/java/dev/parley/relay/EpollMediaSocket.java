package dev.parley.relay;

import dev.parley.relay.stats.DropReason;
import dev.parley.relay.stats.TrafficCounters;
import dev.parley.relay.transport.LoopContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.ManualIoEventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media socket on Netty's native epoll transport, the kernel's batch calls that the JDK's channel lacks: up to
 * {@link #READ_BATCH} datagrams per {@code recvmmsg}, and every datagram sent between two {@link #flush()}es handed
 * over in one {@code sendmmsg}. The relay loop's thread drives Netty's event loop itself ({@link ManualIoEventLoop}),
 * so reads, sends and the relay's state stay on that one thread, and the loop's wait is Netty's {@code epoll_wait}.
 *
 * <p>With GSO asked for ({@code parley.media.gso}) and a kernel that has it ({@code UDP_SEGMENT}), the datagrams
 * between two flushes that go to one address one after another with one size (the last may be shorter), such as a
 * video frame's packets to one subscriber, leave as one {@link SegmentedDatagramPacket}: one trip through the
 * kernel's stack, split into datagrams at its end. Each address's datagrams keep their order. Off by default: on
 * loopback, where the kernel splits the batch again on the receiving side, it cost more CPU than it saved
 * (docs/performance.md).
 *
 * <p>Per datagram (or GSO batch), Netty allocates a small {@link DatagramPacket} envelope each way (its sendmmsg path
 * takes only that type, whose fields are final, so it cannot be reused); the payload buffers come from Netty's pooled
 * allocator. The ICE-TCP channels stay on a JDK selector, which {@link SelectorBridge} waits on in a thread of its own.
 */
final class EpollMediaSocket implements MediaSocket {

    private static final Logger log = LoggerFactory.getLogger(EpollMediaSocket.class);
    /** Datagrams one {@code recvmmsg} reads at most. */
    static final int READ_BATCH = 32;
    /** recvmmsg calls per readiness, so at most READ_BATCH × this many datagrams wait in the inbox. */
    private static final int READS_PER_WAKE = 8;
    /** Written but unflushed bytes that make a flush on their own, whatever the loop does. */
    private static final int FLUSH_BYTES = 256 * 1024;
    private static final int BUFFER_BYTES = 4 * 1024 * 1024;
    /**
     * The largest datagram sent in a GSO batch: with the IPv6 and UDP headers it fits the smallest IPv6 MTU (1,280),
     * so the kernel never refuses a batch because a segment would not fit the path (a larger datagram goes alone).
     */
    static final int GSO_SEGMENT_MAX = 1232;
    /** Segments in one GSO batch at most (the kernel's limit is 64 or more). */
    static final int GSO_SEGMENTS_MAX = 64;
    /** Segments a run's buffer has room for at first (a key frame's, to one subscriber); it grows past that. */
    private static final int RUN_SEGMENTS = 8;
    /** Bytes in one GSO batch at most: one UDP datagram's payload before the kernel splits it (65,507 over IPv4). */
    static final int GSO_BYTES_MAX = 64_000;

    private final TrafficCounters counters;
    /** Whether sends are batched with GSO: asked for, the kernel has it, and has not refused a batch for its GSO. */
    private boolean gso;
    private final ManualIoEventLoop io;
    private final EpollDatagramChannel channel;
    /** Datagrams Netty has read and the loop has not yet taken; bounded by what one wait reads. */
    private final ArrayDeque<DatagramPacket> inbox = new ArrayDeque<>(READ_BATCH * READS_PER_WAKE);
    private final byte[] receiveArray = new byte[LoopContext.MAX_PACKET];
    private int receivedLength;
    /** Bytes written since the last flush. */
    private int unflushedBytes;
    /** Each address's open GSO batch (by identity: the loop sends to one address object per peer). */
    private final IdentityHashMap<InetSocketAddress, Batch> openBatches = new IdentityHashMap<>();
    /** Every batch since the last flush, in the order they were started; written or not. */
    private final ArrayList<Batch> batches = new ArrayList<>();
    /** Batch objects to use again. */
    private final ArrayDeque<Batch> spareBatches = new ArrayDeque<>();
    /** Datagrams that left in GSO batches of two or more. */
    private long batchedDatagrams;
    private volatile boolean woken;
    /** Started with the first ICE-TCP channel. */
    private SelectorBridge tcp;

    static boolean isAvailable() {
        return Epoll.isAvailable();
    }

    static Throwable unavailabilityCause() {
        return Epoll.unavailabilityCause();
    }

    /** Opens and binds the socket; on the thread that will drive it (the relay loop's). */
    EpollMediaSocket(InetSocketAddress bind, TrafficCounters counters, boolean gso) throws IOException {
        this.counters = counters;
        this.gso = gso && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
        // Netty's wake-up only reaches a loop already asleep in epoll_wait, and its check before sleeping sees only
        // Netty's own tasks: one that came while the loop was busy would wait for the next tick. The flag closes
        // that gap (and makes a wake-up before the wait end it, as the JDK's selector does).
        this.io = new ManualIoEventLoop(Thread.currentThread(), EpollIoHandler.newFactory()) {
            @Override
            protected boolean canBlock() {
                return !woken;
            }
        };
        EpollDatagramChannel opening = null;
        try {
            // The wildcard address takes both families, as the JDK's channel does; a given address its own family.
            opening = bind.getAddress().isAnyLocalAddress() ? new EpollDatagramChannel()
                    : new EpollDatagramChannel(bind.getAddress() instanceof Inet6Address ? SocketProtocolFamily.INET6
                            : SocketProtocolFamily.INET);
            opening.config().setOption(ChannelOption.SO_RCVBUF, BUFFER_BYTES);
            opening.config().setOption(ChannelOption.SO_SNDBUF, BUFFER_BYTES);
            // recvmmsg: each read buffer holds READ_BATCH datagrams of the largest size the relay takes; Netty counts
            // datagrams, not calls, against the messages per read.
            opening.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, LoopContext.MAX_PACKET);
            opening.config().setRecvByteBufAllocator(
                    new FixedRecvByteBufAllocator(READ_BATCH * LoopContext.MAX_PACKET));
            opening.config().setMaxMessagesPerRead(READ_BATCH * READS_PER_WAKE);
            // Writes past the high mark, which only a kernel buffer that stays full lets pile up (sends are
            // flushed every FLUSH_BYTES), are dropped (see write).
            opening.config().setWriteBufferWaterMark(new WriteBufferWaterMark(512 * 1024, 1024 * 1024));
            opening.pipeline().addLast(new Inbox());
            io.runNow();
            awaitDone(io.register(opening), "cannot register the media socket");
            awaitDone(opening.bind(bind), "cannot bind the media socket to " + bind.getAddress().getHostAddress()
                    + ":" + bind.getPort());
        } catch (IOException | RuntimeException e) {
            if (opening != null && opening.isRegistered()) {
                opening.close();
            } else if (opening != null) {
                opening.unsafe().closeForcibly();
            }
            shutDownLoop();
            throw e;
        }
        this.channel = opening;
    }

    private void awaitDone(Future<?> future, String failure) throws IOException {
        for (int i = 0; i < 1000 && !future.isDone(); i++) {
            io.run(TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            throw new IOException(failure + (cause == null ? " in time" : ": " + cause.getMessage()), cause);
        }
    }

    @Override
    public String kind() {
        return gso ? "epoll, GSO sends" : "epoll";
    }

    @Override
    public int port() {
        return channel.localAddress().getPort();
    }

    @Override
    public void await(long millis, Consumer<SelectionKey> tcpReady) {
        if (inbox.isEmpty()) {
            // Reads land in the inbox through Inbox.channelRead; pending writes go on too. Blocks only while no
            // wake-up is pending (canBlock above).
            io.run(TimeUnit.MILLISECONDS.toNanos(Math.max(1, millis)));
        }
        // Cleared after the wait, before the loop looks at what it was woken for: a later wake-up stays pending.
        woken = false;
        if (tcp != null) {
            tcp.handOver(tcpReady);
        }
    }

    @Override
    public Selector selector() {
        if (tcp == null) {
            try {
                tcp = new SelectorBridge(this::wakeup);
            } catch (IOException e) {
                throw new IllegalStateException("cannot open a selector for ICE-TCP", e);
            }
        }
        return tcp.selector();
    }

    @Override
    public void selectorChanged() {
        if (tcp != null) {
            tcp.changed();
        }
    }

    @Override
    public void wakeup() {
        woken = true;
        io.wakeup();
    }

    @Override
    public InetSocketAddress receive() {
        DatagramPacket packet = inbox.poll();
        if (packet == null) {
            return null;
        }
        try {
            ByteBuf content = packet.content();
            receivedLength = Math.min(content.readableBytes(), receiveArray.length);
            content.getBytes(content.readerIndex(), receiveArray, 0, receivedLength);
            return packet.sender();
        } finally {
            packet.release();
        }
    }

    @Override
    public byte[] received() {
        return receiveArray;
    }

    @Override
    public int receivedLength() {
        return receivedLength;
    }

    @Override
    public boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
        if (!write(buf, off, len, to)) {
            return false;
        }
        counters.sent(len);
        return true;
    }

    @Override
    public void sendOnce(byte[] buf, int off, int len, InetSocketAddress to) {
        write(buf, off, len, to);
    }

    /**
     * Queues the datagram for the next flush. When the kernel's buffer stays full, Netty keeps what it could not
     * send and sends it when the buffer drains; past 1 MiB of that the relay drops new datagrams instead, counted, as
     * the JDK socket's non-blocking send drops at once.
     */
    private boolean write(byte[] buf, int off, int len, InetSocketAddress to) {
        if (!channel.isWritable()) {
            counters.dropped(DropReason.SEND_FAILED);
            return false;
        }
        if (gso) {
            batch(buf, off, len, to);
        } else {
            if (!openBatches.isEmpty()) {
                // GSO ended with batches open (a refusal): the address's batch goes first, keeping its order.
                Batch open = openBatches.remove(to);
                if (open != null) {
                    writeBatch(open);
                }
            }
            writeAlone(buf, off, len, to);
        }
        unflushedBytes += len;
        if (unflushedBytes >= FLUSH_BYTES) {
            flush();
        }
        return true;
    }

    /** Queues one datagram on its own: a pooled buffer of its size. */
    private void writeAlone(byte[] buf, int off, int len, InetSocketAddress to) {
        channel.write(new DatagramPacket(channel.alloc().directBuffer(len, len).writeBytes(buf, off, len), to),
                channel.voidPromise());
    }

    /** Adds the datagram to its address's batch, or writes that batch and starts the next with it. */
    private void batch(byte[] buf, int off, int len, InetSocketAddress to) {
        Batch open = openBatches.get(to);
        if (open != null && open.takes(len)) {
            if (open.count == 1) {
                // A run begins: its first datagram moves to a buffer with room for a key frame's packets.
                ByteBuf first = open.content;
                open.content = channel.alloc().directBuffer(Math.min(GSO_BYTES_MAX, RUN_SEGMENTS * open.segment),
                        GSO_BYTES_MAX).writeBytes(first, first.readerIndex(), first.readableBytes());
                first.release();
            }
            open.add(buf, off, len);
            return;
        }
        if (open != null) {
            writeBatch(open);
        }
        if (len > GSO_SEGMENT_MAX) {
            openBatches.remove(to);
            writeAlone(buf, off, len, to);
            return;
        }
        Batch next = spareBatches.isEmpty() ? new Batch() : spareBatches.poll();
        next.start(channel.alloc().directBuffer(len, len), to, buf, off, len);
        openBatches.put(to, next);
        batches.add(next);
    }

    /** Hands a batch to Netty (once): one datagram as it is, several as one GSO send. */
    private void writeBatch(Batch batch) {
        if (batch.content == null) {
            return;
        }
        if (batch.count == 1) {
            channel.write(new DatagramPacket(batch.content, batch.to), channel.voidPromise());
        } else {
            int count = batch.count;
            channel.write(new SegmentedDatagramPacket(batch.content, batch.segment, batch.to),
                    channel.newPromise().addListener(sent -> {
                        if (!sent.isSuccess()) {
                            refused(count, sent.cause());
                        }
                    }));
            batchedDatagrams += count;
        }
        batch.content = null;
    }

    /**
     * The errors with which the kernel refuses a send for its GSO (Linux's numbers, negated as Netty gives them; this
     * socket only runs on Linux, and Netty names none of them): EIO from a device that cannot checksum the segments,
     * EINVAL for a segment size or count it cannot take, EMSGSIZE for a segment larger than the path's MTU.
     */
    private static final int EIO = -5;
    private static final int EINVAL = -22;
    private static final int EMSGSIZE = -90;

    /**
     * The kernel refused a GSO batch: each of its datagrams counts as a failed send. If it refused the batch for its
     * GSO, GSO ends here, since that (a path whose MTU a segment does not fit, a route that cannot take GSO) would
     * not go away. Other refusals are the destination's or the moment's (a firewall's drop, EPERM; a full queue,
     * ENOBUFS), which a datagram sent alone would meet as well: GSO stays.
     */
    private void refused(int datagrams, Throwable cause) {
        for (int i = 0; i < datagrams; i++) {
            counters.dropped(DropReason.SEND_FAILED);
        }
        if (gso && refusesGso(cause)) {
            gso = false;
            log.warn("The kernel refused a GSO send ({}); sending each datagram on its own from now on",
                    cause == null ? "no reason given" : cause.toString());
        }
    }

    private static boolean refusesGso(Throwable cause) {
        if (!(cause instanceof Errors.NativeIoException error)) {
            return false;
        }
        int errno = error.expectedErr();
        return errno == EIO || errno == EINVAL || errno == EMSGSIZE;
    }

    /** Whether sends to one address are batched with UDP GSO: asked for, had, and not refused for its GSO. */
    boolean usesGso() {
        return gso;
    }

    /** Datagrams that left in GSO batches of two or more, so far; on the loop thread. */
    long batchedDatagrams() {
        return batchedDatagrams;
    }

    @Override
    public void flush() {
        if (!batches.isEmpty()) {
            for (int i = 0; i < batches.size(); i++) {
                Batch batch = batches.get(i);
                writeBatch(batch);
                batch.to = null;
                spareBatches.add(batch);
            }
            batches.clear();
            openBatches.clear();
        }
        if (unflushedBytes > 0) {
            unflushedBytes = 0;
            channel.flush();
        }
    }

    /** Datagrams to one address, all of one size but the last, which may be shorter; null content once written. */
    private static final class Batch {
        private ByteBuf content;
        private InetSocketAddress to;
        private int segment;
        private int count;

        void start(ByteBuf buffer, InetSocketAddress address, byte[] buf, int off, int len) {
            content = buffer.writeBytes(buf, off, len);
            to = address;
            segment = len;
            count = 1;
        }

        /** Whether the datagram can follow: the batch's size or shorter, after no shorter one, and room left. */
        boolean takes(int len) {
            int written = content.writerIndex();
            return len <= segment && written == count * segment && count < GSO_SEGMENTS_MAX
                    && written + len <= GSO_BYTES_MAX;
        }

        void add(byte[] buf, int off, int len) {
            content.writeBytes(buf, off, len);
            count++;
        }
    }

    @Override
    public void close() {
        for (DatagramPacket packet = inbox.poll(); packet != null; packet = inbox.poll()) {
            packet.release();
        }
        for (Batch batch : batches) {
            if (batch.content != null) {
                batch.content.release();
            }
        }
        batches.clear();
        openBatches.clear();
        if (tcp != null) {
            tcp.close();
        }
        channel.close();
        shutDownLoop();
    }

    private void shutDownLoop() {
        io.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        for (int i = 0; i < 1000 && !io.isTerminated(); i++) {
            io.runNow();
        }
    }

    /**
     * Takes what Netty reads into the inbox. A send the kernel refuses is reported here (through the void promise)
     * and counted as a failed send, after it was counted as sent when queued. Reads do not fail here: an unconnected
     * UDP socket without {@code IP_RECVERR} is told of no ICMP error.
     */
    private final class Inbox extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            inbox.add((DatagramPacket) msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            counters.dropped(DropReason.SEND_FAILED);
            log.debug("media socket: {}", cause.toString());
        }
    }
}
