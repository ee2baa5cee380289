package dev.parley.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.relay.stats.DropReason;
import dev.parley.relay.stats.TrafficCounters;
import dev.parley.relay.transport.LoopContext;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both media sockets on real loopback sockets, against JDK datagram channels as peers: a burst arrives whole, in order
 * and with its sources; the epoll socket holds sends until the flush and then hands them all over, the JDK socket
 * sends at once; a datagram longer than any packet is cut and the next one is whole; a failed send is counted and the
 * datagrams around it still leave; the wildcard address takes IPv4 and IPv6 peers; a wake-up ends the wait, also one
 * that came before it; closing frees the port; a port in use fails the opening.
 */
class MediaSocketTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final TrafficCounters counters = new TrafficCounters();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private MediaSocket socket(RelayConfig.SocketKind kind, InetSocketAddress bind) throws IOException {
        if (kind == RelayConfig.SocketKind.EPOLL) {
            Assumptions.assumeTrue(EpollMediaSocket.isAvailable(), "Netty's native epoll loads here");
        }
        MediaSocket socket = MediaSocket.open(kind, bind, counters, false);
        open.add(0, socket);
        return socket;
    }

    /** An epoll socket sending with GSO; the test is skipped where epoll or GSO is not had. */
    private EpollMediaSocket gsoSocket() throws IOException {
        Assumptions.assumeTrue(EpollMediaSocket.isAvailable(), "Netty's native epoll loads here");
        EpollMediaSocket socket = (EpollMediaSocket) MediaSocket.open(RelayConfig.SocketKind.EPOLL,
                new InetSocketAddress(LOOPBACK, 0), counters, true);
        open.add(0, socket);
        Assumptions.assumeTrue(socket.usesGso(), "the kernel has UDP_SEGMENT");
        return socket;
    }

    private MediaSocket socket(RelayConfig.SocketKind kind) throws IOException {
        return socket(kind, new InetSocketAddress(LOOPBACK, 0));
    }

    private DatagramChannel peer() throws IOException {
        DatagramChannel peer = DatagramChannel.open();
        peer.bind(new InetSocketAddress(LOOPBACK, 0));
        open.add(peer);
        return peer;
    }

    private static byte[] datagram(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads what arrives at the socket, waiting as the relay loop does, until {@code count} or 10 s. */
    private static List<Received> receive(MediaSocket socket, int count) throws IOException {
        List<Received> received = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (received.size() < count && System.nanoTime() < deadline) {
            socket.await(20, key -> { });
            for (InetSocketAddress from = socket.receive(); from != null; from = socket.receive()) {
                received.add(new Received(from, Arrays.copyOf(socket.received(), socket.receivedLength())));
            }
        }
        return received;
    }

    private record Received(InetSocketAddress from, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.US_ASCII);
        }
    }

    /** What the peer receives within {@code waitMillis} (a blocking channel with a timeout). */
    private static List<String> drain(DatagramChannel peer, int count, int waitMillis) throws IOException {
        List<String> texts = new ArrayList<>();
        peer.socket().setSoTimeout(waitMillis);
        byte[] buffer = new byte[2048];
        java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
        while (texts.size() < count) {
            try {
                peer.socket().receive(packet);
            } catch (SocketTimeoutException e) {
                break;
            }
            texts.add(new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII));
        }
        return texts;
    }

    @ParameterizedTest
    @EnumSource(value = RelayConfig.SocketKind.class, names = {"EPOLL", "JDK"})
    void aBurstFromTwoPeersArrivesWholeInOrderAndWithItsSources(RelayConfig.SocketKind kind) throws Exception {
        MediaSocket socket = socket(kind);
        InetSocketAddress to = new InetSocketAddress(LOOPBACK, socket.port());
        DatagramChannel alice = peer();
        DatagramChannel bob = peer();
        for (int i = 0; i < 150; i++) {
            alice.send(ByteBuffer.wrap(datagram("alice " + i)), to);
            bob.send(ByteBuffer.wrap(datagram("bob " + i)), to);
        }

        List<Received> received = receive(socket, 300);

        assertThat(received).hasSize(300);
        Map<InetSocketAddress, List<String>> bySource = new HashMap<>();
        for (Received r : received) {
            bySource.computeIfAbsent(r.from(), a -> new ArrayList<>()).add(r.text());
        }
        InetSocketAddress aliceAddress = (InetSocketAddress) alice.getLocalAddress();
        InetSocketAddress bobAddress = (InetSocketAddress) bob.getLocalAddress();
        assertThat(bySource).containsOnlyKeys(aliceAddress, bobAddress);
        List<String> expectedAlice = new ArrayList<>();
        List<String> expectedBob = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            expectedAlice.add("alice " + i);
            expectedBob.add("bob " + i);
        }
        assertThat(bySource.get(aliceAddress)).containsExactlyElementsOf(expectedAlice);
        assertThat(bySource.get(bobAddress)).containsExactlyElementsOf(expectedBob);
    }

    @ParameterizedTest
    @EnumSource(value = RelayConfig.SocketKind.class, names = {"EPOLL", "JDK"})
    void sendsLeaveWholeAndInOrderByTheFlushAtTheLatest(RelayConfig.SocketKind kind) throws Exception {
        MediaSocket socket = socket(kind);
        DatagramChannel peer = peer();
        InetSocketAddress to = (InetSocketAddress) peer.getLocalAddress();
        // One scratch array for every send, as the loop reuses its own.
        byte[] scratch = new byte[LoopContext.MAX_PACKET];
        int bytes = 0;
        for (int i = 0; i < 100; i++) {
            byte[] text = datagram("packet " + i + " " + "x".repeat(i * 10));
            System.arraycopy(text, 0, scratch, 7, text.length);
            assertThat(socket.send(scratch, 7, text.length, to)).isTrue();
            bytes += text.length;
        }
        List<String> beforeFlush = drain(peer, 100, 300);
        if (kind == RelayConfig.SocketKind.EPOLL) {
            assertThat(beforeFlush).as("batched: nothing leaves before the flush").isEmpty();
        } else {
            assertThat(beforeFlush).as("the JDK socket sends each at once").hasSize(100);
        }

        socket.flush();

        List<String> all = new ArrayList<>(beforeFlush);
        all.addAll(drain(peer, 100 - beforeFlush.size(), 5000));
        assertThat(all).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(all.get(i)).isEqualTo("packet " + i + " " + "x".repeat(i * 10));
        }
        assertThat(counters.packetsOut()).isEqualTo(100);
        assertThat(counters.bytesOut()).isEqualTo(bytes);
    }

    @Test
    void sendsToOneAddressOfOneSizeLeaveAsOneGsoBatchAndArriveAsTheSameDatagramsInOrder() throws Exception {
        EpollMediaSocket socket = gsoSocket();
        DatagramChannel a = peer();
        DatagramChannel b = peer();
        InetSocketAddress toA = (InetSocketAddress) a.getLocalAddress();
        InetSocketAddress toB = (InetSocketAddress) b.getLocalAddress();
        List<String> forA = new ArrayList<>();
        List<String> forB = new ArrayList<>();
        byte[] scratch = new byte[LoopContext.MAX_PACKET];
        // A frame's packets to A (five full, a shorter last) between three to B; then one to A after the shorter one
        // (a new batch), and one to A too long for a batch (alone, after it).
        int[] sizes = {1000, 800, 1000, 800, 1000, 800, 1000, 1000, 600, 1000, EpollMediaSocket.GSO_SEGMENT_MAX + 1};
        boolean[] toFirst = {true, false, true, false, true, false, true, true, true, true, true};
        for (int i = 0; i < sizes.length; i++) {
            String text = ("datagram " + i + " ").repeat(sizes[i]).substring(0, sizes[i]);
            System.arraycopy(datagram(text), 0, scratch, 3, sizes[i]);
            assertThat(socket.send(scratch, 3, sizes[i], toFirst[i] ? toA : toB)).isTrue();
            (toFirst[i] ? forA : forB).add(text);
        }
        socket.flush();

        assertThat(drain(a, forA.size() + 1, 1000)).as("each datagram whole, in order").isEqualTo(forA);
        assertThat(drain(b, forB.size() + 1, 1000)).isEqualTo(forB);
        assertThat(socket.batchedDatagrams()).as("A's six of one size (the last shorter) and B's three").isEqualTo(9);
        assertThat(counters.packetsOut()).isEqualTo(sizes.length);
        assertThat(counters.bytesOut()).isEqualTo(Arrays.stream(sizes).sum());
    }

    /**
     * A GSO batch the kernel refuses: each of its datagrams counts as a failed send. To port 0 the kernel refuses it
     * with EINVAL, as it does a segment size or count it cannot take, and GSO ends. To a broadcast address on a socket
     * without SO_BROADCAST it refuses it with EACCES, as it would each datagram alone (so does a firewall's drop, with
     * EPERM): that is no reason to give up GSO.
     */
    @ParameterizedTest
    @CsvSource({"127.0.0.1, 0, false", "127.255.255.255, 9, true"})
    void aRefusedGsoBatchCountsEachDatagramAndGsoEndsOnlyWhenRefusedForItsGso(String address, int port,
            boolean gsoStays) throws Exception {
        EpollMediaSocket socket = gsoSocket();
        DatagramChannel peer = peer();
        InetSocketAddress to = (InetSocketAddress) peer.getLocalAddress();
        InetSocketAddress refusing = new InetSocketAddress(InetAddress.getByName(address), port);
        byte[] lost = datagram("lost".repeat(100));
        byte[] first = datagram("first".repeat(80));
        for (int i = 0; i < 3; i++) {
            socket.send(lost, 0, lost.length, refusing);
            socket.send(first, 0, first.length, to);
        }
        socket.flush();

        assertThat(drain(peer, 4, 1000)).as("the peer's own batch arrives").hasSize(3);
        assertThat(counters.drops(DropReason.SEND_FAILED)).as("each refused datagram").isEqualTo(3);
        assertThat(socket.usesGso()).as("GSO stays").isEqualTo(gsoStays);
        assertThat(socket.kind()).isEqualTo(gsoStays ? "epoll, GSO sends" : "epoll");

        byte[] after = datagram("after".repeat(80));
        long batched = socket.batchedDatagrams();
        socket.send(after, 0, after.length, to);
        socket.send(after, 0, after.length, to);
        socket.flush();
        assertThat(drain(peer, 3, 1000)).hasSize(2);
        assertThat(socket.batchedDatagrams()).as("two more in a GSO batch, or none").isEqualTo(
                batched + (gsoStays ? 2 : 0));
    }

    @ParameterizedTest
    @EnumSource(value = RelayConfig.SocketKind.class, names = {"EPOLL", "JDK"})
    void aDatagramLongerThanAnyPacketIsCutAndTheNextIsWhole(RelayConfig.SocketKind kind) throws Exception {
        MediaSocket socket = socket(kind);
        InetSocketAddress to = new InetSocketAddress(LOOPBACK, socket.port());
        DatagramChannel peer = peer();
        byte[] huge = new byte[LoopContext.MAX_PACKET + 2000];
        Arrays.fill(huge, (byte) 7);
        peer.send(ByteBuffer.wrap(huge), to);
        peer.send(ByteBuffer.wrap(datagram("after")), to);

        List<Received> received = receive(socket, 2);

        assertThat(received).hasSize(2);
        assertThat(received.get(0).data()).hasSize(LoopContext.MAX_PACKET)
                .containsOnly((byte) 7);
        assertThat(received.get(1).text()).isEqualTo("after");
    }

    @ParameterizedTest
    @EnumSource(value = RelayConfig.SocketKind.class, names = {"EPOLL", "JDK"})
    void aFailedSendIsCountedAndTheOthersStillLeave(RelayConfig.SocketKind kind) throws Exception {
        MediaSocket socket = socket(kind);
        DatagramChannel peer = peer();
        InetSocketAddress to = (InetSocketAddress) peer.getLocalAddress();
        // Port 0 is no destination: the kernel refuses the datagram.
        InetSocketAddress nowhere = new InetSocketAddress(LOOPBACK, 0);
        byte[] first = datagram("first");
        byte[] last = datagram("last");
        socket.send(first, 0, first.length, to);
        socket.send(first, 0, first.length, nowhere);
        socket.send(last, 0, last.length, to);
        socket.flush();

        assertThat(drain(peer, 2, 5000)).containsExactly("first", "last");
        assertThat(counters.drops(DropReason.SEND_FAILED)).isEqualTo(1);
        // The epoll socket counted the refused datagram as sent when it was queued (MediaSocket#send says so).
        assertThat(counters.packetsOut()).isEqualTo(kind == RelayConfig.SocketKind.EPOLL ? 3 : 2);
    }

    @ParameterizedTest
    @EnumSource(value = RelayConfig.SocketKind.class, names = {"EPOLL", "JDK"})
    void onTheWildcardAddressAnIpv4PeerIsSeenAndAnsweredAsIpv4(RelayConfig.SocketKind kind) throws Exception {
        MediaSocket socket = socket(kind, new InetSocketAddress(0));
        DatagramChannel peer = peer();
        peer.send(ByteBuffer.wrap(datagram("hello")), new InetSocketAddress(LOOPBACK, socket.port()));

        List<Received> received = receive(socket, 1);

        assertThat(received).hasSize(1);
        InetSocketAddress from = received.get(0).from();
        assertThat(from.getAddress()).isInstanceOf(Inet4Address.class);
        assertThat(from).isEqualTo(peer.getLocalAddress());
        byte[] answer = datagram("answer");
        socket.send(answer, 0, answer.length, from);
        socket.flush();
        assertThat(drain(peer, 1, 5000)).containsExactly("answer");
    }

    @ParameterizedTest
    @EnumSource(value = RelayConfig.SocketKind.class, names = {"EPOLL", "JDK"})
    void onTheWildcardAddressAnIpv6PeerIsSeenAndAnswered(RelayConfig.SocketKind kind) throws Exception {
        InetAddress ipv6Loopback = InetAddress.getByName("::1");
        DatagramChannel peer = DatagramChannel.open();
        open.add(peer);
        try {
            peer.bind(new InetSocketAddress(ipv6Loopback, 0));
        } catch (IOException e) {
            Assumptions.abort("no IPv6 loopback here: " + e);
        }
        MediaSocket socket = socket(kind, new InetSocketAddress(0));
        peer.send(ByteBuffer.wrap(datagram("hello")), new InetSocketAddress(ipv6Loopback, socket.port()));

        List<Received> received = receive(socket, 1);

        assertThat(received).hasSize(1);
        assertThat(received.get(0).from()).isEqualTo(peer.getLocalAddress());
        byte[] answer = datagram("answer");
        socket.send(answer, 0, answer.length, received.get(0).from());
        socket.flush();
        assertThat(drain(peer, 1, 5000)).containsExactly("answer");
    }

    @ParameterizedTest
    @EnumSource(value = RelayConfig.SocketKind.class, names = {"EPOLL", "JDK"})
    void aWakeupBeforeTheWaitEndsItAtOnce(RelayConfig.SocketKind kind) throws Exception {
        MediaSocket socket = socket(kind);
        // A task queued while the loop is busy wakes it before it waits again: the wait must not sleep through it.
        Thread waker = new Thread(socket::wakeup);
        waker.start();
        waker.join();
        long started = System.nanoTime();

        socket.await(60_000, key -> { });

        // Not a speed: without the pending wake-up the wait would last a minute.
        assertThat(System.nanoTime() - started).isLessThan(30_000_000_000L);
    }

    @ParameterizedTest
    @EnumSource(value = RelayConfig.SocketKind.class, names = {"EPOLL", "JDK"})
    void aWakeupFromAnotherThreadEndsTheWait(RelayConfig.SocketKind kind) throws Exception {
        MediaSocket socket = socket(kind);
        Thread waker = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            socket.wakeup();
        });
        waker.start();
        long started = System.nanoTime();

        socket.await(60_000, key -> { });

        // Not a speed: without the wake-up the wait would last a minute.
        assertThat(System.nanoTime() - started).isLessThan(30_000_000_000L);
        waker.join();
    }

    @ParameterizedTest
    @EnumSource(value = RelayConfig.SocketKind.class, names = {"EPOLL", "JDK"})
    void closingFreesThePort(RelayConfig.SocketKind kind) throws Exception {
        MediaSocket first = socket(kind);
        int port = first.port();
        first.close();
        open.remove(first);

        MediaSocket again = socket(kind, new InetSocketAddress(LOOPBACK, port));

        assertThat(again.port()).isEqualTo(port);
    }

    @ParameterizedTest
    @EnumSource(value = RelayConfig.SocketKind.class, names = {"EPOLL", "JDK"})
    void aPortInUseFailsTheOpeningWithAnIoError(RelayConfig.SocketKind kind) throws Exception {
        MediaSocket first = socket(kind);

        assertThatThrownBy(() -> socket(kind, new InetSocketAddress(LOOPBACK, first.port())))
                .isInstanceOf(IOException.class).hasMessageContaining("in use");
    }
}
