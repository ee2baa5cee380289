package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.rtp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.parley.relay.ice.IceCredentials;
import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.srtp.SrtpProfile;
import dev.parley.relay.stats.DropReason;
import dev.parley.relay.stats.TrafficCounters;
import dev.parley.relay.transport.WebRtcTransport;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The transport's receive path: SRTP/SRTCP unprotect and RTCP compound iteration, with every drop counted. */
class ReceivePathTest {

    private static final int AUDIO = 0x99990001;
    private static final int BOB_RTCP = 0x0B0B0B0B;
    private static final byte[] FRAME = {1, 2, 3, 4, 5, 6, 7, 8};
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 45678);

    private final RoomHarness room = new RoomHarness();
    private Peer alice;
    private Peer bob;
    private Producer video;

    @BeforeEach
    void aliceSendsToBob() {
        alice = room.browser("alice");
        bob = room.browser("bob");
        room.publishAudio(alice, AUDIO);
        video = room.publishVideo(alice, 0x99990002, 0x99990003);
        room.negotiate();
        room.sender.clear();
        room.advanceMillis(400);
    }

    private TrafficCounters counters(Peer peer) {
        return peer.transport().counters();
    }

    private byte[] audioPacket(int sequence) {
        return alice.protect(rtp(111, sequence, 960L * sequence, AUDIO, FRAME));
    }

    @Test
    void srtpThatFailsAuthenticationIsDroppedAndCounted() {
        byte[] tampered = audioPacket(1);
        tampered[14] ^= 0x01;

        room.receive(alice, tampered, false);
        room.receive(alice, audioPacket(2), false);

        assertThat(counters(alice).dropsByReason()).isEqualTo(Map.of(DropReason.SRTP_AUTH, 1L));
        assertThat(room.sequencesReceived(bob)).as("only the intact packet").containsExactly(2);
    }

    @Test
    void srtpEncryptedWithAnotherClientsKeysFailsAuthentication() {
        byte[] foreign = bob.protect(rtp(111, 1, 960, AUDIO, FRAME));

        room.receive(alice, foreign, false);

        assertThat(counters(alice).drops(DropReason.SRTP_AUTH)).isEqualTo(1);
        assertThat(room.sender.pending(bob.address())).isEmpty();
    }

    @Test
    void aReplayedSrtpPacketIsDroppedAndCounted() {
        byte[] packet = audioPacket(1);

        room.receive(alice, packet, false);
        room.receive(alice, packet, false);

        assertThat(counters(alice).dropsByReason()).isEqualTo(Map.of(DropReason.SRTP_REPLAY, 1L));
        assertThat(room.rtpReceived(bob)).hasSize(1);
    }

    @Test
    void srtpBehindTheReplayWindowIsDroppedAsAReplay() {
        room.receive(alice, audioPacket(1000), false);
        room.receive(alice, audioPacket(1200), false);

        room.receive(alice, audioPacket(1000 - 1), false);

        assertThat(counters(alice).dropsByReason()).isEqualTo(Map.of(DropReason.SRTP_REPLAY, 1L));
        assertThat(room.rtpReceived(bob)).hasSize(2);
    }

    @Test
    void srtpTooShortForHeaderAndTagIsDroppedAsOtherSrtpFailure() {
        room.receive(alice, Packets.bytes(0x80, 111, 0, 1, 0, 0, 0, 0, 0x99, 0x99, 0, 1, 0xAA), false);

        assertThat(counters(alice).dropsByReason()).isEqualTo(Map.of(DropReason.SRTP_OTHER, 1L));
    }

    @Test
    void rtpThatDoesNotParseAfterDecryptionIsDroppedAsMalformed() {
        byte[] badPadding = rtp(111, 1, 960, AUDIO, Packets.bytes(1, 2, 3, 200));
        badPadding[0] |= 0x20;

        room.send(alice, badPadding);

        assertThat(counters(alice).dropsByReason()).isEqualTo(Map.of(DropReason.MALFORMED_RTP, 1L));
        assertThat(room.sender.pending(bob.address())).isEmpty();
    }

    @Test
    void srtcpThatFailsAuthenticationIsDroppedAndCounted() {
        byte[] tampered = bob.protectRtcp(Packets.pli(BOB_RTCP, video.outSsrc()));
        tampered[10] ^= 0x01;

        room.receive(bob, tampered, true);

        assertThat(counters(bob).dropsByReason()).isEqualTo(Map.of(DropReason.SRTP_AUTH, 1L));
        assertThat(room.sender.pending(alice.address())).isEmpty();
    }

    @Test
    void aReplayedSrtcpPacketIsDroppedAndCounted() {
        byte[] pli = bob.protectRtcp(Packets.pli(BOB_RTCP, video.outSsrc()));

        room.receive(bob, pli, true);
        room.advanceMillis(400);
        room.receive(bob, pli, true);

        assertThat(counters(bob).dropsByReason()).isEqualTo(Map.of(DropReason.SRTP_REPLAY, 1L));
        assertThat(room.rtcpReceived(alice)).as("one PLI, not two").hasSize(1);
    }

    @Test
    void aCompoundWhoseLastLengthRunsPastTheEndIsCountedAfterThePacketsBeforeIt() {
        byte[] broken = Packets.receiverReport(BOB_RTCP);
        broken[3] = 9;

        room.sendRtcp(bob, Packets.compound(Packets.pli(BOB_RTCP, video.outSsrc()), broken));

        assertThat(counters(bob).dropsByReason()).isEqualTo(Map.of(DropReason.MALFORMED_RTCP, 1L));
        assertThat(room.rtcpPacketsReceived(alice)).as("the well-framed PLI still counts")
                .filteredOn(p -> p.is(206, 1)).hasSize(1);
    }

    @Test
    void aCompoundWithABadVersionInsideIsCounted() {
        byte[] badVersion = Packets.receiverReport(BOB_RTCP);
        badVersion[0] = 0x40;

        room.sendRtcp(bob, Packets.compound(Packets.receiverReport(BOB_RTCP), badVersion));

        assertThat(counters(bob).dropsByReason()).isEqualTo(Map.of(DropReason.MALFORMED_RTCP, 1L));
    }

    @Test
    void feedbackTooShortForItsMediaSsrcIsCounted() {
        byte[] shortPli = Packets.bytes(0x81, 206, 0, 1, 0x0B, 0x0B, 0x0B, 0x0B);

        room.sendRtcp(bob, Packets.compound(Packets.receiverReport(BOB_RTCP), shortPli));

        assertThat(counters(bob).dropsByReason()).isEqualTo(Map.of(DropReason.MALFORMED_RTCP, 1L));
        assertThat(room.sender.pending(alice.address())).isEmpty();
    }

    @Test
    void randomGarbageIsDroppedAndCountedWithoutThrowing() {
        Random random = new Random(20261203L);
        int datagrams = 400;
        assertThatCode(() -> {
            for (int i = 0; i < datagrams; i++) {
                byte[] garbage = new byte[random.nextInt(80)];
                random.nextBytes(garbage);
                if (garbage.length > 0) {
                    garbage[0] = (byte) (0x80 | (garbage[0] & 0x3F));
                }
                room.receive(alice, garbage, i % 2 == 0);
            }
        }).doesNotThrowAnyException();

        assertThat(counters(alice).packetsIn()).isEqualTo(datagrams);
        assertThat(counters(alice).totalDrops()).isEqualTo(datagrams);
        assertThat(room.sender.pending(bob.address())).isEmpty();
    }

    @Test
    void srtpBeforeTheKeysIsDroppedAsNotConnected() {
        WebRtcTransport transport = new WebRtcTransport("early", room.fixture, IceCredentials.random(),
                room.ctx.nowNanos(), 30_000_000_000L);
        new Endpoint(Endpoint.Kind.BROWSER, "early", transport, room.router, 1, 1, LoopFixture.quiet(),
                room.ctx.nowNanos());
        byte[] datagram = audioPacket(1);

        transport.onSrtp(datagram, 0, datagram.length, CLIENT, room.ctx);
        transport.onSrtcp(datagram, 0, datagram.length, CLIENT, room.ctx);

        assertThat(transport.counters().dropsByReason()).isEqualTo(Map.of(DropReason.NOT_CONNECTED, 2L));
    }

    @Test
    void authenticatedMediaFromTheSelectedAddressKeepsConsentAliveAndNothingElseDoes() {
        // No more ICE checks after the first: libnice keeps a path alive with media and binding indications.
        long consentTimeoutMillis = 30_000;
        for (int second = 1; second <= 40; second++) {
            room.advanceMillis(1000);
            room.send(alice, rtp(111, second, 960L * second, AUDIO, FRAME));
            room.tick();
        }
        assertThat(alice.transport().isClosed()).as("40 s of authenticated media, no checks").isFalse();

        // Media that does not authenticate, or comes from another validated address, does not count.
        InetSocketAddress other = new InetSocketAddress("127.0.0.1", 45679);
        alice.transport().ice().onValidCheck(other, false, room.ctx.nowNanos());
        for (int second = 41; second <= 41 + consentTimeoutMillis / 1000 + 1; second++) {
            room.advanceMillis(1000);
            byte[] datagram = audioPacket(second);
            alice.transport().onSrtp(datagram, 0, datagram.length, other, room.ctx);
            byte[] forged = audioPacket(second + 1000);
            forged[forged.length - 1] ^= 1;
            alice.transport().onSrtp(forged, 0, forged.length, alice.address(), room.ctx);
            room.tick();
        }
        assertThat(alice.transport().isClosed()).as("consent expired").isTrue();
    }

    @Test
    void aTransportsDropsAreCountedRelayWideTooAndStayAfterItCloses() {
        byte[] tampered = audioPacket(1);
        tampered[14] ^= 0x01;
        alice.transport().onSrtp(tampered, 0, tampered.length, alice.address(), room.ctx);
        alice.transport().close("test");

        assertThat(alice.transport().counters().drops(DropReason.SRTP_AUTH)).isEqualTo(1);
        assertThat(room.ctx.relayCounters().drops(DropReason.SRTP_AUTH)).as("relay-wide").isEqualTo(1);
        assertThat(room.ctx.relayCounters().packetsIn()).as("datagrams are the relay's own count, not passed on")
                .isZero();
    }

    @Test
    void srtpAfterTheTransportClosedIsDroppedAsNotConnected() {
        byte[] datagram = audioPacket(1);
        alice.transport().close("test");

        alice.transport().onSrtp(datagram, 0, datagram.length, alice.address(), room.ctx);

        assertThat(alice.transport().counters().dropsByReason()).isEqualTo(Map.of(DropReason.NOT_CONNECTED, 1L));
    }

    @Test
    void aSendTheSocketRefusesIsCountedOnTheReceivingTransport() {
        room.sender.refuse(true);

        room.send(alice, rtp(111, 1, 960, AUDIO, FRAME));

        assertThat(counters(bob).dropsByReason()).isEqualTo(Map.of(DropReason.SEND_FAILED, 1L));
        assertThat(counters(bob).packetsOut()).isZero();
    }

    @Test
    void srtpKeepsDecryptingAcrossASequenceWrapWithLossesAroundIt() {
        for (int sequence : new int[] {65_500, 65_501, 200, 201}) {
            room.receive(alice, audioPacket(sequence), false);
        }

        assertThat(counters(alice).totalDrops()).isZero();
        assertThat(room.sequencesReceived(bob)).containsExactly(65_500, 65_501, 200, 201);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void eachProfileForwardsIntactPacketsAndRejectsTamperedOnes(SrtpProfile profile) {
        RoomHarness other = new RoomHarness(profile);
        Peer sender = other.browser("alice");
        Peer receiver = other.browser("bob");
        other.publishAudio(sender, AUDIO);
        other.negotiate();
        byte[] tampered = sender.protect(rtp(111, 1, 960, AUDIO, FRAME));
        tampered[tampered.length - 1] ^= 0x01;

        other.receive(sender, tampered, false);
        other.send(sender, rtp(111, 2, 1920, AUDIO, FRAME));

        assertThat(sender.transport().counters().dropsByReason()).isEqualTo(Map.of(DropReason.SRTP_AUTH, 1L));
        assertThat(other.rtpReceived(receiver)).hasSize(1);
        assertThat(receiver.transport().srtpProfile()).isEqualTo(profile.name());
    }
}
