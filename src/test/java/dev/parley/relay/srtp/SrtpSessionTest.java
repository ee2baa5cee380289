package dev.parley.relay.srtp;

import static dev.parley.relay.srtp.Hex.bytes;
import static dev.parley.relay.srtp.SrtpTestPackets.buffer;
import static dev.parley.relay.srtp.SrtpTestPackets.content;
import static dev.parley.relay.srtp.SrtpTestPackets.randomKeys;
import static dev.parley.relay.srtp.SrtpTestPackets.rtcp;
import static dev.parley.relay.srtp.SrtpTestPackets.rtp;
import static dev.parley.relay.srtp.SrtpTestPackets.rtpHeaderLength;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class SrtpSessionTest {

    /** The browser's session (client, protects) and the relay's (server, unprotects) for one association. */
    private record Pair(SrtpSession browser, SrtpSession relay, SrtpKeyingMaterial relayKeys) {
    }

    private static Pair pair(SrtpProfile profile, SplittableRandom random) {
        SrtpKeyingMaterial relayKeys = randomKeys(profile, random);
        return new Pair(new SrtpSession(relayKeys.reversed()), new SrtpSession(relayKeys), relayKeys);
    }

    @Test
    void libsrtpReferencePacketsThroughTheSession() {
        // libsrtp's srtp_driver uses one key for both directions; so does this keying material.
        byte[] key = bytes(SrtpVectors.B3_MASTER_KEY);
        byte[] salt = bytes(SrtpVectors.B3_MASTER_SALT);
        SrtpKeyingMaterial keys = new SrtpKeyingMaterial(SrtpProfile.AES_CM_128_HMAC_SHA1_80, key, salt, key, salt);
        SrtpSession sender = new SrtpSession(keys);
        SrtpSession receiver = new SrtpSession(keys);

        PacketBuffer rtp = buffer(bytes(SrtpVectors.LIBSRTP_RTP_PLAINTEXT), 0);
        assertThat(sender.protectRtp(rtp)).isEqualTo(SrtpStatus.OK);
        assertThat(content(rtp)).isEqualTo(bytes(SrtpVectors.LIBSRTP_SRTP));

        PacketBuffer srtp = buffer(bytes(SrtpVectors.LIBSRTP_SRTP), 7);
        assertThat(receiver.unprotectRtp(srtp)).isEqualTo(SrtpStatus.OK);
        assertThat(content(srtp)).isEqualTo(bytes(SrtpVectors.LIBSRTP_RTP_PLAINTEXT));

        // libsrtp's first SRTCP index is 1, jitsi's is 0: the vector is our second packet.
        assertThat(sender.protectRtcp(buffer(bytes(SrtpVectors.LIBSRTP_RTCP_PLAINTEXT), 0))).isEqualTo(SrtpStatus.OK);
        PacketBuffer rtcp = buffer(bytes(SrtpVectors.LIBSRTP_RTCP_PLAINTEXT), 0);
        assertThat(sender.protectRtcp(rtcp)).isEqualTo(SrtpStatus.OK);
        assertThat(content(rtcp)).isEqualTo(bytes(SrtpVectors.LIBSRTP_SRTCP));

        PacketBuffer srtcp = buffer(bytes(SrtpVectors.LIBSRTP_SRTCP), 3);
        assertThat(receiver.unprotectRtcp(srtcp)).isEqualTo(SrtpStatus.OK);
        assertThat(content(srtcp)).isEqualTo(bytes(SrtpVectors.LIBSRTP_RTCP_PLAINTEXT));
    }

    /** Every packet jitsi protects, across a rollover and for every header shape, matches the JDK reference. */
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void protectMatchesTheIndependentReference(SrtpProfile profile) {
        SplittableRandom random = new SplittableRandom(profile.ordinal() * 31L + 7);
        SrtpKeyingMaterial keys = randomKeys(profile, random);
        SrtpSession session = new SrtpSession(keys);
        byte[] key = keys.localMasterKey();
        byte[] salt = keys.localMasterSalt();
        int ssrc = random.nextInt();
        int seq = 65_530;
        int roc = 0;
        for (int i = 0; i < 40; i++) {
            byte[] plain = rtp(ssrc, seq, random.nextInt(3), random.nextInt(3), random.nextInt(300), random);
            PacketBuffer packet = buffer(plain, random.nextInt(4));
            assertThat(session.protectRtp(packet)).isEqualTo(SrtpStatus.OK);
            byte[] expected = profile == SrtpProfile.AEAD_AES_128_GCM
                    ? SrtpReference.protectRtpGcm(key, salt, plain, rtpHeaderLength(plain), roc)
                    : SrtpReference.protectRtpAesCm(key, salt, plain, rtpHeaderLength(plain), roc);
            assertThat(content(packet)).as("packet %d, seq %d, roc %d", i, seq, roc).isEqualTo(expected);
            seq = (seq + 1) & 0xFFFF;
            if (seq == 0) {
                roc++;
            }
        }
        assertThat(roc).isEqualTo(1);

        int rtcpSsrc = random.nextInt();
        for (int index = 0; index < 5; index++) {
            byte[] plain = rtcp(rtcpSsrc, random.nextInt(40), random);
            PacketBuffer packet = buffer(plain, 0);
            assertThat(session.protectRtcp(packet)).isEqualTo(SrtpStatus.OK);
            byte[] expected = profile == SrtpProfile.AEAD_AES_128_GCM
                    ? SrtpReference.protectRtcpGcm(key, salt, plain, index)
                    : SrtpReference.protectRtcpAesCm(key, salt, plain, index);
            assertThat(content(packet)).as("SRTCP index %d", index).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void roundTripsRtpAndRtcp(SrtpProfile profile) {
        SplittableRandom random = new SplittableRandom(11);
        Pair pair = pair(profile, random);
        int[] ssrcs = {random.nextInt(), random.nextInt(), random.nextInt()};
        for (int i = 0; i < 300; i++) {
            int ssrc = ssrcs[i % ssrcs.length];
            byte[] plain = rtp(ssrc, 1000 + i / 3, random.nextInt(4), random.nextInt(4), random.nextInt(1200), random);
            PacketBuffer packet = buffer(plain, random.nextInt(32));
            assertThat(pair.browser.protectRtp(packet)).isEqualTo(SrtpStatus.OK);
            assertThat(packet.length()).isEqualTo(plain.length + profile.srtpOverhead());
            assertThat(pair.relay.unprotectRtp(packet)).isEqualTo(SrtpStatus.OK);
            assertThat(content(packet)).isEqualTo(plain);

            byte[] report = rtcp(ssrc, random.nextInt(64), random);
            PacketBuffer control = buffer(report, random.nextInt(32));
            assertThat(pair.browser.protectRtcp(control)).isEqualTo(SrtpStatus.OK);
            assertThat(control.length()).isEqualTo(report.length + profile.srtcpOverhead());
            assertThat(pair.relay.unprotectRtcp(control)).isEqualTo(SrtpStatus.OK);
            assertThat(content(control)).isEqualTo(report);
        }
        assertThat(pair.relay.receiveSsrcCount()).isEqualTo(3);
        assertThat(pair.browser.sendSsrcCount()).isEqualTo(3);
    }

    @Test
    void theRelaysOwnDirectionUsesTheOtherKey() {
        SplittableRandom random = new SplittableRandom(12);
        Pair pair = pair(SrtpProfile.AEAD_AES_128_GCM, random);
        byte[] plain = rtp(42, 1, 100, random);

        PacketBuffer fromRelay = buffer(plain, 0);
        assertThat(pair.relay.protectRtp(fromRelay)).isEqualTo(SrtpStatus.OK);
        byte[] wire = content(fromRelay);
        assertThat(pair.browser.unprotectRtp(fromRelay)).isEqualTo(SrtpStatus.OK);
        assertThat(content(fromRelay)).isEqualTo(plain);

        // The relay must not accept its own packets as if the browser had sent them.
        assertThat(pair.relay.unprotectRtp(buffer(wire, 0))).isEqualTo(SrtpStatus.AUTH_FAIL);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aReplayedPacketIsRejected(SrtpProfile profile) {
        SplittableRandom random = new SplittableRandom(13);
        Pair pair = pair(profile, random);
        PacketBuffer packet = buffer(rtp(7, 500, 80, random), 0);
        pair.browser.protectRtp(packet);
        byte[] wire = content(packet);

        assertThat(pair.relay.unprotectRtp(buffer(wire, 0))).isEqualTo(SrtpStatus.OK);
        assertThat(pair.relay.unprotectRtp(buffer(wire, 0))).isEqualTo(SrtpStatus.REPLAY);

        PacketBuffer control = buffer(rtcp(7, 20, random), 0);
        pair.browser.protectRtcp(control);
        byte[] controlWire = content(control);
        assertThat(pair.relay.unprotectRtcp(buffer(controlWire, 0))).isEqualTo(SrtpStatus.OK);
        assertThat(pair.relay.unprotectRtcp(buffer(controlWire, 0))).isEqualTo(SrtpStatus.REPLAY);
    }

    @Test
    void aPacketBehindTheReplayWindowIsRejectedAsOld() {
        SplittableRandom random = new SplittableRandom(14);
        Pair pair = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80, random);
        List<byte[]> wire = new ArrayList<>();
        for (int seq = 0; seq < 100; seq++) {
            PacketBuffer packet = buffer(rtp(9, seq, 20, random), 0);
            pair.browser.protectRtp(packet);
            wire.add(content(packet));
        }
        for (int seq = 0; seq < 100; seq++) {
            if (seq != 10 && seq != 90) {
                assertThat(pair.relay.unprotectRtp(buffer(wire.get(seq), 0))).isEqualTo(SrtpStatus.OK);
            }
        }
        // Late but inside the 64-packet window: still fine once; far behind it: too old to tell.
        assertThat(pair.relay.unprotectRtp(buffer(wire.get(90), 0))).isEqualTo(SrtpStatus.OK);
        assertThat(pair.relay.unprotectRtp(buffer(wire.get(10), 0))).isEqualTo(SrtpStatus.REPLAY_OLD);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void everyFlippedBitIsCaught(SrtpProfile profile) {
        SplittableRandom random = new SplittableRandom(15);
        Pair pair = pair(profile, random);
        PacketBuffer packet = buffer(rtp(21, 3000, 1, 1, 60, random), 0);
        pair.browser.protectRtp(packet);
        byte[] wire = content(packet);
        for (int i = 0; i < wire.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = wire.clone();
                tampered[i] ^= (byte) (1 << bit);
                assertThat(pair.relay.unprotectRtp(buffer(tampered, 0)))
                        .as("byte %d bit %d", i, bit)
                        .isIn(SrtpStatus.AUTH_FAIL, SrtpStatus.INVALID);
            }
        }
        // Failed attempts leave no state behind: the genuine packet is still accepted, once.
        assertThat(pair.relay.unprotectRtp(buffer(wire, 0))).isEqualTo(SrtpStatus.OK);
        assertThat(pair.relay.receiveSsrcCount()).isEqualTo(1);

        PacketBuffer control = buffer(rtcp(21, 16, random), 0);
        pair.browser.protectRtcp(control);
        byte[] controlWire = content(control);
        for (int i = 0; i < controlWire.length; i++) {
            byte[] tampered = controlWire.clone();
            tampered[i] ^= 0x10;
            assertThat(pair.relay.unprotectRtcp(buffer(tampered, 0))).as("SRTCP byte %d", i)
                    .isIn(SrtpStatus.AUTH_FAIL, SrtpStatus.INVALID, SrtpStatus.REPLAY_OLD);
        }
        assertThat(pair.relay.unprotectRtcp(buffer(controlWire, 0))).isEqualTo(SrtpStatus.OK);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rolloverCounterFollows70000PacketsAcrossTheWrap(SrtpProfile profile) {
        SplittableRandom random = new SplittableRandom(16);
        Pair pair = pair(profile, random);
        int ssrc = random.nextInt();
        int firstSeq = 60_000;
        byte[] plain = rtp(ssrc, 0, 160, random);
        PacketBuffer packet = PacketBuffer.forPackets(plain.length);
        int wraps = 0;
        for (int n = 0; n < 70_000; n++) {
            int seq = (firstSeq + n) & 0xFFFF;
            if (seq == 0) {
                wraps++;
            }
            plain[2] = (byte) (seq >>> 8);
            plain[3] = (byte) seq;
            plain[12] = (byte) n;
            packet.copyFrom(plain, 0, plain.length);
            assertThat(pair.browser.protectRtp(packet)).isEqualTo(SrtpStatus.OK);
            SrtpStatus status = pair.relay.unprotectRtp(packet);
            if (status != SrtpStatus.OK || packet.length() != plain.length || packet.buffer()[12] != (byte) n) {
                throw new AssertionError("packet " + n + " (seq " + seq + ", wraps " + wraps + "): " + status);
            }
        }
        assertThat(wraps).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rolloverSurvivesLossAndReorderingAroundTheWrap(SrtpProfile profile) {
        SplittableRandom random = new SplittableRandom(17);
        Pair pair = pair(profile, random);
        int ssrc = 0x1234;
        java.util.Map<Integer, byte[]> wire = new java.util.HashMap<>();
        for (int n = 0; n < 400; n++) {
            int seq = (65_300 + n) & 0xFFFF;
            PacketBuffer packet = buffer(rtp(ssrc, seq, 30, random), 0);
            assertThat(pair.browser.protectRtp(packet)).isEqualTo(SrtpStatus.OK);
            wire.put(seq, content(packet));
        }
        // 65500..65533 are lost; 65534 and 65535 arrive after 0 and 1, i.e. after the receiver has rolled over.
        List<Integer> arrival = new ArrayList<>();
        for (int seq = 65_300; seq < 65_500; seq++) {
            arrival.add(seq);
        }
        arrival.addAll(List.of(0, 1, 65_534, 65_535));
        for (int seq = 2; seq < 100; seq++) {
            arrival.add(seq);
        }
        for (int seq : arrival) {
            assertThat(pair.relay.unprotectRtp(buffer(wire.get(seq), 0))).as("seq %d", seq)
                    .isEqualTo(SrtpStatus.OK);
        }
        // And the late ones were recorded: replaying one now is caught.
        assertThat(pair.relay.unprotectRtp(buffer(wire.get(65_535), 0))).isIn(SrtpStatus.REPLAY,
                SrtpStatus.REPLAY_OLD);
        assertThat(pair.relay.unprotectRtp(buffer(wire.get(99), 0))).isEqualTo(SrtpStatus.REPLAY);
    }

    @Test
    void malformedPacketsAreInvalid() {
        SplittableRandom random = new SplittableRandom(18);
        Pair pair = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80, random);
        assertThat(pair.relay.unprotectRtp(buffer(new byte[0], 0))).isEqualTo(SrtpStatus.INVALID);
        assertThat(pair.relay.unprotectRtp(buffer(new byte[21], 0))).isEqualTo(SrtpStatus.INVALID);
        byte[] versionOne = rtp(1, 1, 40, random);
        versionOne[0] = (byte) 0x40;
        assertThat(pair.relay.unprotectRtp(buffer(versionOne, 0))).isEqualTo(SrtpStatus.INVALID);
        assertThat(pair.browser.protectRtp(buffer(versionOne, 0))).isEqualTo(SrtpStatus.INVALID);

        byte[] csrcsPastTheEnd = rtp(1, 1, 10, random);
        csrcsPastTheEnd[0] = (byte) 0x8F;
        assertThat(pair.browser.protectRtp(buffer(csrcsPastTheEnd, 0))).isEqualTo(SrtpStatus.INVALID);
        assertThat(pair.relay.unprotectRtp(buffer(csrcsPastTheEnd, 0))).isEqualTo(SrtpStatus.INVALID);

        byte[] extensionPastTheEnd = rtp(1, 1, 0, 1, 8, random);
        extensionPastTheEnd[15] = 50;
        assertThat(pair.browser.protectRtp(buffer(extensionPastTheEnd, 0))).isEqualTo(SrtpStatus.INVALID);

        assertThat(pair.browser.protectRtcp(buffer(new byte[7], 0))).isEqualTo(SrtpStatus.INVALID);
        assertThat(pair.relay.unprotectRtcp(buffer(rtcp(1, 0, random), 0))).isIn(SrtpStatus.INVALID,
                SrtpStatus.AUTH_FAIL);
        assertThat(pair.relay.unprotectRtcp(buffer(new byte[12], 0))).isEqualTo(SrtpStatus.INVALID);
        assertThat(pair.relay.receiveSsrcCount()).isZero();
    }

    @Test
    void protectNeedsRoomForTheTag() {
        SplittableRandom random = new SplittableRandom(19);
        Pair pair = pair(SrtpProfile.AEAD_AES_128_GCM, random);
        byte[] plain = rtp(5, 5, 50, random);
        PacketBuffer tight = new PacketBuffer(plain.length + 15);
        tight.copyFrom(plain, 0, plain.length);
        assertThat(pair.browser.protectRtp(tight)).isEqualTo(SrtpStatus.NO_TAIL_ROOM);

        byte[] report = rtcp(5, 0, random);
        PacketBuffer tightControl = new PacketBuffer(report.length + 19);
        tightControl.copyFrom(report, 0, report.length);
        assertThat(pair.browser.protectRtcp(tightControl)).isEqualTo(SrtpStatus.NO_TAIL_ROOM);
    }

    @Test
    void ssrcsAreLimitedAndForgedOnesLeaveNothingBehind() {
        SplittableRandom random = new SplittableRandom(20);
        SrtpKeyingMaterial relayKeys = randomKeys(SrtpProfile.AEAD_AES_128_GCM, random);
        SrtpSession browser = new SrtpSession(relayKeys.reversed(), 2);
        SrtpSession relay = new SrtpSession(relayKeys, 2);

        for (int i = 0; i < 50; i++) {
            byte[] forged = rtp(random.nextInt(), i, 40, random);
            PacketBuffer packet = buffer(forged, 0);
            packet.set(0, forged.length);
            assertThat(relay.unprotectRtp(packet)).isEqualTo(SrtpStatus.AUTH_FAIL);
        }
        assertThat(relay.receiveSsrcCount()).isZero();

        for (int ssrc = 1; ssrc <= 2; ssrc++) {
            PacketBuffer packet = buffer(rtp(ssrc, 1, 40, random), 0);
            assertThat(browser.protectRtp(packet)).isEqualTo(SrtpStatus.OK);
            assertThat(relay.unprotectRtp(packet)).isEqualTo(SrtpStatus.OK);
        }
        PacketBuffer third = buffer(rtp(3, 1, 40, random), 0);
        assertThat(browser.protectRtp(third)).isEqualTo(SrtpStatus.SSRC_LIMIT);
        assertThat(relay.unprotectRtp(buffer(rtp(3, 1, 40, random), 0))).isEqualTo(SrtpStatus.SSRC_LIMIT);

        browser.removeSsrc(1);
        relay.removeSsrc(1);
        assertThat(browser.protectRtp(third)).isEqualTo(SrtpStatus.OK);
        assertThat(relay.unprotectRtp(third)).isEqualTo(SrtpStatus.OK);
    }

    @Test
    void theSendSideHasALimitOfItsOwn() {
        SplittableRandom random = new SplittableRandom(22);
        SrtpKeyingMaterial relayKeys = randomKeys(SrtpProfile.AEAD_AES_128_GCM, random);
        SrtpSession relay = new SrtpSession(relayKeys, 2, 5);
        SrtpSession browser = new SrtpSession(relayKeys.reversed(), 5);

        for (int ssrc = 1; ssrc <= 5; ssrc++) {
            PacketBuffer packet = buffer(rtp(ssrc, 1, 40, random), 0);
            assertThat(relay.protectRtp(packet)).as("the relay sends on SSRC %d", ssrc).isEqualTo(SrtpStatus.OK);
            assertThat(browser.unprotectRtp(packet)).isEqualTo(SrtpStatus.OK);
        }
        assertThat(relay.protectRtp(buffer(rtp(6, 1, 40, random), 0))).isEqualTo(SrtpStatus.SSRC_LIMIT);
        assertThat(relay.sendSsrcCount()).isEqualTo(5);

        for (int ssrc = 11; ssrc <= 12; ssrc++) {
            PacketBuffer packet = buffer(rtp(ssrc, 1, 40, random), 0);
            assertThat(browser.protectRtp(packet)).isEqualTo(SrtpStatus.OK);
            assertThat(relay.unprotectRtp(packet)).isEqualTo(SrtpStatus.OK);
        }
        PacketBuffer third = buffer(rtp(13, 1, 40, random), 0);
        assertThat(browser.protectRtp(third)).isEqualTo(SrtpStatus.OK);
        assertThat(relay.unprotectRtp(third)).as("what the peer sends keeps its own limit")
                .isEqualTo(SrtpStatus.SSRC_LIMIT);
    }

    @Test
    void aClosedSessionRefusesEverything() {
        SplittableRandom random = new SplittableRandom(21);
        Pair pair = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80, random);
        pair.relay.close();
        pair.relay.close();
        assertThat(pair.relay.isClosed()).isTrue();
        assertThat(pair.relay.protectRtp(buffer(rtp(1, 1, 10, random), 0))).isEqualTo(SrtpStatus.CLOSED);
        assertThat(pair.relay.unprotectRtp(buffer(rtp(1, 1, 10, random), 0))).isEqualTo(SrtpStatus.CLOSED);
        assertThat(pair.relay.protectRtcp(buffer(rtcp(1, 0, random), 0))).isEqualTo(SrtpStatus.CLOSED);
        assertThat(pair.relay.unprotectRtcp(buffer(rtcp(1, 0, random), 0))).isEqualTo(SrtpStatus.CLOSED);
    }

    @Test
    void warmUpRuns() {
        SrtpSession.warmUp();
    }
}
