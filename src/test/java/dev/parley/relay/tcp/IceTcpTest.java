package dev.parley.relay.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.relay.Offer;
import dev.parley.relay.Relay;
import dev.parley.relay.RelayConfig;
import dev.parley.relay.TransportEvents;
import dev.parley.relay.TransportHandle;
import dev.parley.relay.sdp.IceCandidate;
import dev.parley.relay.sdp.SdpParser;
import dev.parley.relay.sdp.SessionDescription;
import dev.parley.relay.stun.IceCheck;
import dev.parley.relay.stun.StunBindingWriter;
import dev.parley.relay.stun.StunMessage;
import io.netty.channel.epoll.Epoll;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * ICE-TCP on the real relay (RFC 6544 passive candidate, RFC 4571 framing) through a real loopback TCP socket: the
 * offer carries the candidate, a check split across writes is answered in one frame, and what follows the check on that connection reaches the transport; while UDP checks come, TCP checks
 * go unanswered; a frame too long or a refused source closes the connection, counted. With the default (epoll) media
 * socket, the ICE-TCP channels are selected in another thread and handed over to the loop.
 */
class IceTcpTest {

    private Relay relay;

    /**
     * The relay's settings before each test's own: the epoll socket, whose ICE-TCP channels are selected in another
     * thread; {@link IceTcpOnJdkSocketTest} runs every test on the JDK socket.
     */
    RelayConfig loopback() {
        Assumptions.assumeTrue(Epoll.isAvailable(), "Netty's native epoll loads here");
        return RelayConfig.loopback().withSocket(RelayConfig.SocketKind.EPOLL);
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void theOfferCarriesAPassiveTcpCandidateBelowTheUdpOne() throws Exception {
        relay = Relay.start(loopback().withTcpPort(0));
        Browser browser = open("alice");
        IceCandidate udp = browser.candidates.stream().filter(IceCandidate::isUdp).findFirst().orElseThrow();
        IceCandidate tcp = browser.candidates.stream().filter(IceCandidate::isTcp).findFirst().orElseThrow();
        assertThat(tcp.port()).isEqualTo(relay.tcpPort()).isNotEqualTo(0);
        assertThat(tcp.tcpType()).isEqualTo("passive");
        assertThat(tcp.type()).isEqualTo(IceCandidate.HOST);
        assertThat(tcp.address()).isEqualTo(udp.address());
        assertThat(tcp.priority()).isLessThan(udp.priority());
        assertThat(tcp.format()).contains(" tcp ").endsWith("typ host tcptype passive");
    }

    @Test
    void withoutTcpTheOfferHasOnlyUdp() throws Exception {
        relay = Relay.start(loopback());
        assertThat(relay.tcpPort()).isEqualTo(-1);
        assertThat(open("bob").candidates).allMatch(IceCandidate::isUdp);
    }

    @Test
    void aCheckOverTcpIsAnsweredAndTheConnectionThenCarriesTheTransport() throws Exception {
        relay = Relay.start(loopback().withTcpPort(0));
        Browser browser = open("carol");
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            byte[] check = browser.check(1);
            // The length's first byte alone, then the rest with a frame of junk: the relay waits for the whole frame.
            byte[] stream = frame(check, new byte[] {(byte) 200, 2, 3});
            out.write(stream, 0, 1);
            out.flush();
            Thread.sleep(50);
            out.write(stream, 1, stream.length - 1);
            out.flush();
            StunMessage response = readStun(socket);
            assertThat(response.isBindingSuccessResponse()).isTrue();
            assertThat(response.transactionIdEquals(txId(1))).isTrue();
            assertThat(response.verifyMessageIntegrity(browser.pwd())).isTrue();
            assertThat(response.xorMappedAddress()).isEqualTo(socket.getLocalSocketAddress());

            // SRTP-like junk after the check comes from a validated address: it reaches the transport.
            byte[] fakeSrtp = new byte[60];
            fakeSrtp[0] = (byte) 0x80;
            fakeSrtp[1] = 96;
            out.write(frame(fakeSrtp));
            out.flush();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> relay.totals(browser.handle).drops("not_connected") == 1);
            assertThat(relay.snapshot().get(5, TimeUnit.SECONDS).drops()).containsEntry("unknown_protocol", 1L);
        }
    }

    @Test
    void aFrameLongerThanAnyPacketClosesTheConnectionAndTheNextOneStillWorks() throws Exception {
        relay = Relay.start(loopback().withTcpPort(0));
        Browser browser = open("dave");
        try (Socket socket = connect()) {
            socket.getOutputStream().write(new byte[] {(byte) 0xFF, (byte) 0xFF, 0, 1, 2});
            assertThat(socket.getInputStream().read()).as("closed by the relay").isEqualTo(-1);
        }
        assertThat(relay.snapshot().get(5, TimeUnit.SECONDS).drops()).containsEntry("tcp_framing", 1L);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(frame(browser.check(2)));
            assertThat(readStun(socket).isBindingSuccessResponse()).isTrue();
        }
    }

    @Test
    void whileUdpChecksComeTcpChecksGoUnansweredSoUdpWins() throws Exception {
        relay = Relay.start(loopback().withTcpPort(0));
        Browser browser = open("erin");
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             Socket tcp = connect()) {
            udp.setSoTimeout(2000);
            InetSocketAddress relayUdp = new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.port());
            byte[] buf = new byte[1500];
            long until = System.nanoTime() + 2_500_000_000L;
            int tcpChecks = 0;
            tcp.setSoTimeout(200);
            // As a browser where UDP works: UDP checks answered, TCP checks sent alongside for 2.5 s, never answered
            // (the first UDP check went before the first TCP one).
            while (System.nanoTime() < until) {
                byte[] check = browser.check(10 + tcpChecks);
                udp.send(new DatagramPacket(check, check.length, relayUdp));
                DatagramPacket answer = new DatagramPacket(buf, buf.length);
                udp.receive(answer);
                assertThat(StunMessage.parse(buf, 0, answer.getLength()).isBindingSuccessResponse()).isTrue();
                tcp.getOutputStream().write(frame(browser.check(100 + tcpChecks++)));
                assertThatThrownBy(() -> tcp.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            }
            assertThat(relay.totals(browser.handle).drops("tcp_deferred")).isEqualTo(tcpChecks);
        }
    }

    @Test
    void onAPortSharedWithHttpsTheCandidateNamesThatPortAndAHandedOverConnectionIsAnswered() throws Exception {
        try (ServerSocketChannel shared = ServerSocketChannel.open()) {
            shared.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) shared.getLocalAddress()).getPort();
            relay = Relay.start(loopback().withSharedTcpPort(port));
            assertThat(relay.tcpPort()).isEqualTo(port);
            Browser browser = open("frank");
            IceCandidate udp = browser.candidates.stream().filter(IceCandidate::isUdp).findFirst().orElseThrow();
            IceCandidate tcp = browser.candidates.stream().filter(IceCandidate::isTcp).findFirst().orElseThrow();
            assertThat(tcp.port()).isEqualTo(port);
            assertThat(tcp.priority()).isLessThan(udp.priority());
            try (Socket socket = new Socket()) {
                socket.connect(shared.getLocalAddress(), 2000);
                socket.setSoTimeout(5000);
                SocketChannel accepted = shared.accept();
                socket.getOutputStream().write(frame(browser.check(3), browser.check(4)));
                // As the port's owner does: read the first bytes (here part of the second check), then hand over.
                byte[] first = new byte[100];
                DataInputStream in = new DataInputStream(accepted.socket().getInputStream());
                in.readFully(first);
                relay.acceptTcp(accepted, first, first.length);
                StunMessage one = readStun(socket);
                StunMessage two = readStun(socket);
                assertThat(one.transactionIdEquals(txId(3))).isTrue();
                assertThat(two.transactionIdEquals(txId(4))).as("the check split by the hand-over").isTrue();
                assertThat(two.xorMappedAddress()).isEqualTo(socket.getLocalSocketAddress());
            }
        }
    }

    @Test
    void aSourceOutsideTheAllowedRangesIsRefused() throws Exception {
        relay = Relay.start(loopback().withTcpPort(0).withAllowedSources(List.of("10.0.0.0/8")));
        try (Socket socket = connect()) {
            assertThat(socket.getInputStream().read()).as("closed by the relay").isEqualTo(-1);
        }
        assertThat(relay.snapshot().get(5, TimeUnit.SECONDS).drops()).containsEntry("tcp_refused", 1L);
    }

    private record Browser(TransportHandle handle, String ufrag, String password, List<IceCandidate> candidates) {

        byte[] pwd() {
            return password.getBytes(StandardCharsets.UTF_8);
        }

        byte[] check(int id) {
            return new StunBindingWriter().request(txId(id), IceCheck.controlling(ufrag, "cli", 100, 1, true), pwd());
        }
    }

    private Browser open(String participant) throws Exception {
        CompletableFuture<Offer> offer = new CompletableFuture<>();
        TransportHandle handle = relay.openBrowser("room", participant, new TransportEvents() {
            @Override
            public void onOffer(Offer o) {
                offer.complete(o);
            }
        }).get(5, TimeUnit.SECONDS);
        SessionDescription sdp = SdpParser.parse(offer.get(5, TimeUnit.SECONDS).sdp());
        var media = sdp.effective(sdp.media().get(0));
        return new Browser(handle, media.iceUfrag().orElseThrow(), media.icePwd().orElseThrow(),
                sdp.media().get(0).candidates());
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.tcpPort()), 2000);
        socket.setSoTimeout(5000);
        return socket;
    }

    private static StunMessage readStun(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        for (int i = 0; i < 10; i++) {
            byte[] packet = new byte[in.readUnsignedShort()];
            in.readFully(packet);
            StunMessage message = StunMessage.parse(packet, 0, packet.length);
            if (message != null) {
                return message;
            }
        }
        throw new AssertionError("no STUN message in ten frames");
    }

    private static byte[] frame(byte[]... packets) {
        int total = 0;
        for (byte[] p : packets) {
            total += 2 + p.length;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] p : packets) {
            out[at++] = (byte) (p.length >> 8);
            out[at++] = (byte) p.length;
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] txId(int n) {
        byte[] id = new byte[12];
        id[11] = (byte) n;
        return id;
    }
}
