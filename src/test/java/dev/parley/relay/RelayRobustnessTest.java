package dev.parley.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.relay.client.OfferOptions;
import dev.parley.relay.client.WebRtcEndpoint;
import dev.parley.relay.ice.SourceRateLimiter;
import dev.parley.relay.sdp.SdpParser;
import dev.parley.relay.sdp.SessionDescription;
import dev.parley.relay.stun.IceCheck;
import dev.parley.relay.stun.StunBindingWriter;
import dev.parley.relay.stun.StunMessage;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay on a real loopback socket, fed with garbage of every kind: nothing crashes, every drop is counted by
 * reason, and a well-formed ICE check is still answered afterwards.
 */
class RelayRobustnessTest {

    private Relay relay;
    private DatagramSocket client;
    private InetSocketAddress relayAddress;

    @BeforeEach
    void start() throws Exception {
        // The garbage below comes from one address, far faster than the per-source STUN limit allows; that limit has
        // its own test (with the default limits) further down.
        relay = Relay.start(RelayConfig.loopback().withSourceLimits(RelayConfig.SourceLimits.unlimited()));
        client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client.setSoTimeout(2000);
        relayAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.port());
    }

    @AfterEach
    void stop() {
        client.close();
        relay.close();
    }

    @Test
    void garbageIsCountedAndNeverStopsTheRelay() throws Exception {
        CompletableFuture<Offer> offer = new CompletableFuture<>();
        TransportHandle transport = relay.openBrowser("room", "alice", new TransportEvents() {
            @Override
            public void onOffer(Offer o) {
                offer.complete(o);
            }
        }).get(5, TimeUnit.SECONDS);
        SessionDescription sdp = SdpParser.parse(offer.get(5, TimeUnit.SECONDS).sdp());
        String relayUfrag = sdp.effective(sdp.media().get(0)).iceUfrag().orElseThrow();
        String relayPwd = sdp.effective(sdp.media().get(0)).icePwd().orElseThrow();

        SplittableRandom random = new SplittableRandom(7);
        int sent = 0;
        for (int i = 0; i < 3000; i++) {
            int length = 1 + random.nextInt(300);
            byte[] junk = new byte[length];
            random.nextBytes(junk);
            // Steer the first byte through every demultiplexing range of RFC 7983.
            junk[0] = (byte) switch (i % 5) {
                case 0 -> random.nextInt(4);
                case 1 -> 20 + random.nextInt(44);
                case 2 -> 128 + random.nextInt(64);
                case 3 -> 64 + random.nextInt(64);
                default -> random.nextInt(256);
            };
            send(junk);
            sent++;
        }
        // A binding request with the wrong password, one for an unknown ufrag, and one from the right client.
        send(new StunBindingWriter().request(txId(1), IceCheck.controlling(relayUfrag, "cli1", 100, 1, true),
                "wrong-password-wrong-password".getBytes(StandardCharsets.UTF_8)));
        send(new StunBindingWriter().request(txId(2), IceCheck.controlling("nosuch", "cli1", 100, 1, true),
                relayPwd.getBytes(StandardCharsets.UTF_8)));
        byte[] good = new StunBindingWriter().request(txId(3), IceCheck.controlling(relayUfrag, "cli1", 100, 1, true),
                relayPwd.getBytes(StandardCharsets.UTF_8));
        send(good);

        StunMessage response = receiveStun();
        assertThat(response.isBindingSuccessResponse()).isTrue();
        assertThat(response.transactionIdEquals(txId(3))).isTrue();
        assertThat(response.verifyMessageIntegrity(relayPwd.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(response.verifyFingerprint()).isTrue();
        assertThat(response.xorMappedAddress()).isEqualTo(client.getLocalSocketAddress());

        RelaySnapshot snapshot = relay.snapshot().get(5, TimeUnit.SECONDS);
        long relayDrops = snapshot.drops().values().stream().mapToLong(Long::longValue).sum();
        assertThat(snapshot.packetsIn()).isEqualTo(sent + 3L);
        assertThat(snapshot.drops()).containsKeys("bad_stun", "unknown_protocol", "unknown_ufrag");
        assertThat(relay.totals(transport).drops("stun_integrity")).isEqualTo(1);
        // Junk that looked like DTLS/RTP/RTCP arrived before the ICE check, from an address no check had validated.
        assertThat(snapshot.drops().get("unknown_source")).isPositive();
        assertThat(relayDrops + relay.totals(transport).totalDrops()).isGreaterThanOrEqualTo(sent);

        // After the valid check, junk from this address reaches the transport and is dropped there, still counted.
        byte[] fakeSrtp = new byte[100];
        random.nextBytes(fakeSrtp);
        fakeSrtp[0] = (byte) 0x80;
        fakeSrtp[1] = 96;
        send(fakeSrtp);
        send(good.clone());
        receiveStun();
        assertThat(relay.totals(transport).drops("not_connected")).isEqualTo(1);
    }

    @Test
    void anErrorThrownByTheApplicationOnTheLoopStopsNeitherTheLoopNorTheOthersOffers() throws Exception {
        CompletableFuture<Void> thrown = new CompletableFuture<>();
        relay.openBrowser("room", "alice", new TransportEvents() {
            @Override
            public void onOffer(Offer o) {
                thrown.complete(null);
                throw new AssertionError("a listener's bug");
            }
        }).get(5, TimeUnit.SECONDS);
        thrown.get(5, TimeUnit.SECONDS);
        CompletableFuture<Offer> offer = new CompletableFuture<>();
        relay.openBrowser("room", "bob", new TransportEvents() {
            @Override
            public void onOffer(Offer o) {
                offer.complete(o);
            }
        }).get(5, TimeUnit.SECONDS);
        assertThat(offer.get(5, TimeUnit.SECONDS).sdp()).contains("a=ice-ufrag:");
        relay.ping().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aPingAnswersWhileTheLoopRunsAndFailsOnceItStopped() throws Exception {
        relay.ping().get(5, TimeUnit.SECONDS);
        Relay closed = Relay.start(RelayConfig.loopback());
        closed.close();
        assertThat(closed.ping()).failsWithin(5, TimeUnit.SECONDS);
    }

    @Test
    void checksFromOutsideTheAllowedSourcesAreIgnored() throws Exception {
        try (Relay strict = Relay.start(RelayConfig.loopback().withAllowedSources(java.util.List.of("10.0.0.0/8")))) {
            CompletableFuture<Offer> offer = new CompletableFuture<>();
            TransportHandle transport = strict.openBrowser("room", "bob", new TransportEvents() {
                @Override
                public void onOffer(Offer o) {
                    offer.complete(o);
                }
            }).get(5, TimeUnit.SECONDS);
            SessionDescription sdp = SdpParser.parse(offer.get(5, TimeUnit.SECONDS).sdp());
            String ufrag = sdp.effective(sdp.media().get(0)).iceUfrag().orElseThrow();
            String pwd = sdp.effective(sdp.media().get(0)).icePwd().orElseThrow();
            byte[] check = new StunBindingWriter().request(txId(9), IceCheck.controlling(ufrag, "cli", 100, 1, true),
                    pwd.getBytes(StandardCharsets.UTF_8));
            client.send(new DatagramPacket(check, check.length,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), strict.port())));
            client.setSoTimeout(500);
            try {
                client.receive(new DatagramPacket(new byte[600], 600));
                throw new AssertionError("the relay answered a check from a source outside 10.0.0.0/8");
            } catch (SocketTimeoutException expected) {
                // no answer, as it should be
            }
            assertThat(strict.totals(transport).drops("source_not_allowed")).isEqualTo(1);
            assertThat(view(strict, transport).remoteAddress()).as("no address passed a check").isNull();
        }
    }

    @Test
    void aValidCheckFromANewAddressMovesTheTransportAndSilenceEndsIt() throws Exception {
        try (Relay quick = Relay.start(RelayConfig.loopback().withConsentTimeout(java.time.Duration.ofSeconds(2)));
             DatagramSocket other = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            CompletableFuture<Offer> offer = new CompletableFuture<>();
            CompletableFuture<String> closed = new CompletableFuture<>();
            TransportHandle transport = quick.openBrowser("room", "carol", new TransportEvents() {
                @Override
                public void onOffer(Offer o) {
                    offer.complete(o);
                }

                @Override
                public void onClosed(String reason) {
                    closed.complete(reason);
                }
            }).get(5, TimeUnit.SECONDS);
            SessionDescription sdp = SdpParser.parse(offer.get(5, TimeUnit.SECONDS).sdp());
            String ufrag = sdp.effective(sdp.media().get(0)).iceUfrag().orElseThrow();
            byte[] key = sdp.effective(sdp.media().get(0)).icePwd().orElseThrow().getBytes(StandardCharsets.UTF_8);
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), quick.port());

            byte[] first = new StunBindingWriter().request(txId(1), IceCheck.controlling(ufrag, "cli", 100, 1, true), key);
            client.send(new DatagramPacket(first, first.length, target));
            receiveStun();
            waitFor(() -> address(client).equals(view(quick, transport).remoteAddress()));

            byte[] moved = new StunBindingWriter().request(txId(2), IceCheck.controlling(ufrag, "cli", 100, 1, true), key);
            other.send(new DatagramPacket(moved, moved.length, target));
            waitFor(() -> address(other).equals(view(quick, transport).remoteAddress()));

            // No more checks: consent expires after the configured 2 s and the transport closes itself.
            assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo("ice-consent-expired");
            assertThat(view(quick, transport)).as("gone from the relay").isNull();
        }
    }

    @Test
    void floodsOfChecksAndClientHellosFromOneSourceAreCutOffWhileAnotherSourceConnects() throws Exception {
        try (Relay limited = Relay.start(RelayConfig.loopback())) {
            floodFromOneSourceWhileAnotherConnects(limited);
        }
    }

    private void floodFromOneSourceWhileAnotherConnects(Relay limited) throws Exception {
        InetSocketAddress limitedAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), limited.port());
        CompletableFuture<Offer> offer = new CompletableFuture<>();
        TransportHandle target = limited.openBrowser("room", "mallory", new TransportEvents() {
            @Override
            public void onOffer(Offer o) {
                offer.complete(o);
            }
        }).get(5, TimeUnit.SECONDS);
        SessionDescription sdp = SdpParser.parse(offer.get(5, TimeUnit.SECONDS).sdp());
        String ufrag = sdp.effective(sdp.media().get(0)).iceUfrag().orElseThrow();
        byte[] key = sdp.effective(sdp.media().get(0)).icePwd().orElseThrow().getBytes(StandardCharsets.UTF_8);

        int flood = 2000;
        try (DatagramSocket attacker = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
            // Valid, authenticated checks (each would cost an HMAC and an answer), as fast as the socket takes them.
            for (int i = 0; i < flood; i++) {
                byte[] check = new StunBindingWriter().request(txId(i), IceCheck.controlling(ufrag, "atk", 100, 1, true),
                        key);
                attacker.send(new DatagramPacket(check, check.length, limitedAddress));
            }
            // The first checks got through, so the attacker's address is a validated one: its ClientHellos reach the
            // DTLS branch, where they are limited too.
            waitFor(() -> view(limited, target).remoteAddress() != null);
            byte[] clientHello = new byte[120];
            clientHello[0] = 22;
            clientHello[1] = (byte) 0xfe;
            clientHello[2] = (byte) 0xfd;
            clientHello[12] = 107;
            clientHello[13] = 1;
            for (int i = 0; i < flood; i++) {
                clientHello[10] = (byte) (i >> 8);
                clientHello[11] = (byte) i;
                attacker.send(new DatagramPacket(clientHello, clientHello.length, limitedAddress));
            }
        }

        // A well-behaved peer from another source address connects through ICE, DTLS and SRTP meanwhile. Its
        // datagrams queue behind the flood on the one socket, so once it is connected the flood has been handled.
        try (WebRtcEndpoint peer = WebRtcEndpoint.open()) {
            Relay.Session session = limited.openWhip("room", "alice", peer.createOffer(OfferOptions.whip()),
                    new TransportEvents() { }).get(5, TimeUnit.SECONDS);
            peer.applyAnswer(session.answer());
            peer.connect(Duration.ofSeconds(15));
            waitFor(() -> view(limited, session.transport()).connected());
        }
        long stunCut = limited.totals().drops("stun_rate");
        long dtlsCut = limited.totals().drops("dtls_rate");
        assertThat(stunCut).as("checks dropped by the source's rate").isPositive();
        assertThat(dtlsCut).as("ClientHellos dropped by the source's rate").isPositive();
        // Only what was not cut reached the transport (fewer if the socket itself lost some of the flood).
        assertThat(limited.totals(target).packetsIn()).isPositive().isLessThanOrEqualTo(2L * flood - stunCut - dtlsCut);
        assertThat(limited.snapshot().get(5, TimeUnit.SECONDS).drops())
                .containsEntry("stun_rate", stunCut).containsEntry("dtls_rate", dtlsCut);
        assertThat(limited.trackedSources().get(5, TimeUnit.SECONDS)).isEqualTo(2);
    }

    @Test
    void theSourceTableIsCappedAndForgetsSilentSources() throws Exception {
        SourceRateLimiter limiter = new SourceRateLimiter(new SourceRateLimiter.Limits(2, 1, 2, 1, 3, 10_000_000_000L), 0);
        for (int host = 1; host <= 10; host++) {
            // Three sources get table entries; the others share one overflow bucket with two tokens between them.
            assertThat(limiter.allowStun(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) host}), 0))
                    .as("source %d", host).isEqualTo(host <= 5);
        }
        assertThat(limiter.size()).as("capped").isEqualTo(3);
        // A tracked source keeps its own budget.
        InetAddress first = InetAddress.getByAddress(new byte[] {10, 0, 0, 1});
        assertThat(limiter.allowStun(first, 0)).isTrue();
        assertThat(limiter.allowStun(first, 0)).isFalse();
        assertThat(limiter.allowClientHello(first, 0)).isTrue();

        limiter.expire(5_000_000_000L);
        assertThat(limiter.size()).as("not silent for long enough yet").isEqualTo(3);
        limiter.expire(20_000_000_000L);
        assertThat(limiter.size()).as("silent sources are forgotten").isZero();
        assertThat(limiter.allowStun(InetAddress.getByAddress(new byte[] {10, 0, 0, 50}), 20_000_000_000L)).isTrue();
        assertThat(limiter.size()).isEqualTo(1);
    }

    /** The transport as the relay's snapshot shows it, or null once it is gone. */
    private static RelaySnapshot.Transport view(Relay relay, TransportHandle handle) {
        try {
            return relay.snapshot().get(5, TimeUnit.SECONDS).rooms().stream().flatMap(r -> r.transports().stream())
                    .filter(t -> t.id().equals(handle.id())).findFirst().orElse(null);
        } catch (Exception e) {
            throw new AssertionError("no snapshot from the relay", e);
        }
    }

    private static String address(DatagramSocket socket) {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    private static void waitFor(java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(condition);
    }

    private void send(byte[] datagram) throws Exception {
        client.send(new DatagramPacket(datagram, datagram.length, relayAddress));
    }

    private StunMessage receiveStun() throws Exception {
        byte[] buf = new byte[1500];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            client.receive(packet);
            StunMessage message = StunMessage.parse(buf, 0, packet.getLength());
            if (message != null) {
                return message;
            }
        }
    }

    private static byte[] txId(int n) {
        byte[] id = new byte[12];
        id[11] = (byte) n;
        return id;
    }
}
