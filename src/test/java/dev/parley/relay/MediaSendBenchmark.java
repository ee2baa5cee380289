package dev.parley.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one media datagram costs the relay's socket to send, the JDK's way ({@link MediaSocket}: one {@code sendto}
 * per datagram) against Netty's native epoll transport, which hands every datagram written before a flush to the
 * kernel in one {@code sendmmsg}: how much batching the sends of one loop turn would save (issue 14). 1,200-byte
 * datagrams go round-robin to four loopback sockets, each drained by a thread of its own that sleeps in
 * {@code receive} (so, like a browser's, each send may have a reader to wake). Netty's sends run on its event loop, a
 * whole invocation in one task, as the relay loop would run on it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MediaSendBenchmark {

    private static final int DATAGRAMS = 1024;
    private static final int SIZE = 1200;
    private static final int BUFFER_BYTES = 4 * 1024 * 1024;

    /** Datagrams per sendmmsg for epoll (1: a flush after each, so one sendto each, as the JDK does). */
    @Param({"1", "8", "32"})
    public int batch;

    private final byte[] payload = new byte[SIZE];
    private final List<DatagramChannel> sinks = new ArrayList<>();
    private final InetSocketAddress[] destinations = new InetSocketAddress[4];
    private DatagramChannel jdk;
    private final ByteBuffer jdkBuffer = ByteBuffer.wrap(payload);
    private EventLoopGroup loop;
    private Channel epoll;

    @Setup(Level.Trial)
    public void open() throws Exception {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("no native epoll here", Epoll.unavailabilityCause());
        }
        for (int i = 0; i < destinations.length; i++) {
            DatagramChannel sink = DatagramChannel.open();
            sink.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER_BYTES);
            sink.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            destinations[i] = (InetSocketAddress) sink.getLocalAddress();
            sinks.add(sink);
            Thread drain = new Thread(() -> drain(sink), "sink-" + i);
            drain.setDaemon(true);
            drain.start();
        }
        jdk = DatagramChannel.open();
        jdk.setOption(StandardSocketOptions.SO_SNDBUF, BUFFER_BYTES);
        jdk.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        epoll = new Bootstrap().group(loop).channel(EpollDatagramChannel.class)
                .option(ChannelOption.SO_SNDBUF, BUFFER_BYTES)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8 << 20, 16 << 20))
                .handler(new ChannelInboundHandlerAdapter())
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    private static void drain(DatagramChannel sink) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
        try {
            while (sink.isOpen()) {
                buffer.clear();
                sink.receive(buffer);
            }
        } catch (IOException closed) {
            // the trial is over
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        epoll.close().sync();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        jdk.close();
        for (DatagramChannel sink : sinks) {
            sink.close();
        }
    }

    /** The JDK's channel as MediaSocket uses it: one sendto per datagram, from a heap buffer ({@code batch} unused). */
    @Benchmark
    @OperationsPerInvocation(DATAGRAMS)
    public int jdkSendto() throws IOException {
        int sent = 0;
        for (int i = 0; i < DATAGRAMS; i++) {
            jdkBuffer.clear();
            sent += jdk.send(jdkBuffer, destinations[i & 3]);
        }
        return sent;
    }

    /** Netty's epoll channel, flushed every {@code batch} datagrams: one sendmmsg per flush. */
    @Benchmark
    @OperationsPerInvocation(DATAGRAMS)
    public void epollSendmmsg() throws Exception {
        epoll.eventLoop().submit(() -> {
            for (int i = 0; i < DATAGRAMS; i++) {
                ByteBuf datagram = epoll.alloc().directBuffer(SIZE).writeBytes(payload);
                epoll.write(new DatagramPacket(datagram, destinations[i & 3]), epoll.voidPromise());
                if ((i + 1) % batch == 0) {
                    epoll.flush();
                }
            }
            epoll.flush();
        }).sync();
    }
}
