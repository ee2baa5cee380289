package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.VP8_DELTA;
import static dev.parley.relay.router.Packets.VP8_KEYFRAME;
import static dev.parley.relay.router.Packets.rtp;
import static dev.parley.relay.router.RoomHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.rtp.Vp8Payload;
import dev.parley.relay.util.Bytes;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A WHEP player that follows the speaker, through the forwarding core: it keeps the SSRCs its answer announced while
 * the producer behind them changes with the room's speaker, the video at the new speaker's key frame and the audio at
 * once, with sequence numbers and timestamps continuing; retransmissions never reach into another producer's cache;
 * when the one it plays leaves, it plays someone else.
 */
class WhepFollowTest {

    private static final int ADA_AUDIO = 0x0A000101;
    private static final int ADA_VIDEO = 0x0A000102;
    private static final int GRACE_AUDIO = 0x0A000201;
    private static final int GRACE_VIDEO = 0x0A000202;
    private static final int VIEWER_RTCP = 0x0E0E0E0E;
    private static final int LOUD = 20;
    private static final int SILENT = 127;

    private final RoomHarness room = new RoomHarness();
    private Peer ada;
    private Peer grace;
    private Producer adaAudio;
    private Producer adaVideo;
    private Producer graceVideo;
    private int audioSequence;
    private long audioTimestamp;

    @BeforeEach
    void twoPublishers() {
        ada = room.browser("ada");
        grace = room.browser("grace");
        adaAudio = room.publishAudio(ada, ADA_AUDIO);
        adaVideo = room.publishVideo(ada, ADA_VIDEO, 0);
        room.publishAudio(grace, GRACE_AUDIO);
        graceVideo = room.publishVideo(grace, GRACE_VIDEO, 0);
        room.negotiate();
    }

    @Test
    void theVideoMovesToTheNewSpeakerAtItsKeyFrameUnderTheSameSsrcAndNumbering() {
        Peer viewer = room.whepFollowingSpeaker("viewer", "ada");
        room.send(ada, rtp(96, 100, 9000, ADA_VIDEO, VP8_KEYFRAME));
        room.send(ada, rtp(96, 101, 9000, ADA_VIDEO, VP8_DELTA));
        List<byte[]> before = room.rtpReceived(viewer);
        assertThat(before).hasSize(2);
        RtpPacket last = parse(before.get(1));
        assertThat(last.ssrc()).isEqualTo(adaVideo.outSsrc());
        int lastSequence = last.sequenceNumber();
        room.rtcpReceived(grace);

        speak(LOUD, SILENT, 40);
        speak(SILENT, LOUD, 150);
        assertThat(room.router.activeSpeaker()).isEqualTo("grace");
        room.router.updateFollowers(room.ctx);
        assertThat(viewer.endpoint().whepTarget()).isEqualTo("grace");
        assertThat(keyframeRequestsTo(grace, GRACE_VIDEO)).as("grace is asked for a key frame at once").isPositive();
        room.rtpReceived(viewer); // the voices while they spoke

        room.advanceMillis(40);
        room.send(grace, rtp(96, 5000, 700_000, GRACE_VIDEO, VP8_DELTA));
        room.send(ada, rtp(96, 102, 12_600, ADA_VIDEO, VP8_DELTA));
        List<byte[]> waiting = room.rtpReceived(viewer);
        assertThat(waiting).as("ada's picture flows until grace's key frame; grace's delta frame is of no use")
                .hasSize(1);
        RtpPacket lastOfAda = parse(waiting.get(0));
        assertThat(lastOfAda.sequenceNumber()).isEqualTo((lastSequence + 1) & 0xFFFF);

        room.advanceMillis(40);
        room.send(grace, rtp(96, 5001, 703_600, GRACE_VIDEO, VP8_KEYFRAME));
        room.send(ada, rtp(96, 103, 16_200, ADA_VIDEO, VP8_DELTA));
        List<byte[]> switched = room.rtpReceived(viewer);
        assertThat(switched).as("grace's key frame, and ada's frames no longer").hasSize(1);
        RtpPacket first = parse(switched.get(0));
        assertThat(first.ssrc()).as("the SSRC the player's answer announced").isEqualTo(adaVideo.outSsrc());
        assertThat(first.sequenceNumber()).as("numbering continues").isEqualTo((lastSequence + 2) & 0xFFFF);
        assertThat(first.timestamp() - lastOfAda.timestamp()).as("time moves on by the 40 ms that passed")
                .isEqualTo(90L * 40);
        assertThat(Vp8Payload.pictureId(switched.get(0), first.payloadOffset(), first.payloadLength()))
                .as("picture ids continue from ada's last")
                .isEqualTo(Vp8Payload.pictureId(waiting.get(0), lastOfAda.payloadOffset(), lastOfAda.payloadLength())
                        + 1);
        assertThat(Arrays.copyOfRange(switched.get(0), first.payloadOffset() + 4, switched.get(0).length))
                .as("grace's key frame itself").isEqualTo(Arrays.copyOfRange(VP8_KEYFRAME, 4, VP8_KEYFRAME.length));

        room.send(grace, rtp(96, 5002, 707_200, GRACE_VIDEO, VP8_DELTA));
        RtpPacket next = parse(room.rtpReceived(viewer).get(0));
        assertThat(next.sequenceNumber()).isEqualTo((lastSequence + 3) & 0xFFFF);
        assertThat(next.timestamp() - first.timestamp()).as("grace's own frame interval").isEqualTo(3600L);
        assertThat(RoomHarness.consumerOf(ada, graceVideo).producer()).as("browsers are untouched")
                .isSameAs(graceVideo);
    }

    @Test
    void aPausedVideosCostStartsAgainFromTheMeasureOfTheProducerItMovedTo() {
        // The lowest cost seen since a pause judges the video's return; the one measured on ada's stream says nothing
        // of grace's, which may need three times as much.
        Peer viewer = room.whepFollowingSpeaker("viewer", "ada");
        Consumer video = viewer.endpoint().sections().get(1).consumer();
        assertThat(video.producer()).isSameAs(adaVideo);
        video.setBandwidthPaused(true);
        assertThat(video.pausedCost(0, 150_000)).isEqualTo(150_000);
        assertThat(video.pausedCost(0, 450_000)).as("a jump of the same stream is followed slowly").isEqualTo(157_500);

        speak(LOUD, SILENT, 40);
        speak(SILENT, LOUD, 150);
        room.router.updateFollowers(room.ctx);
        room.send(grace, rtp(96, 5000, 700_000, GRACE_VIDEO, VP8_KEYFRAME));
        assertThat(video.producer()).as("moved at grace's key frame").isSameAs(graceVideo);

        assertThat(video.pausedCost(0, 450_000)).as("grace's stream, from what it measures").isEqualTo(450_000);
        assertThat(video.pausedCost(0, 500_000)).isEqualTo(472_500);
    }

    @Test
    void theAudioMovesAtOnceAndKeepsItsNumbering() {
        Peer viewer = room.whepFollowingSpeaker("viewer", "ada");
        speak(LOUD, SILENT, 40);
        List<byte[]> adaVoice = room.rtpReceived(viewer);
        assertThat(adaVoice).isNotEmpty();
        RtpPacket lastOfAda = parse(adaVoice.get(adaVoice.size() - 1));
        assertThat(lastOfAda.ssrc()).isEqualTo(adaAudio.outSsrc());

        speak(SILENT, LOUD, 150);
        assertThat(room.router.activeSpeaker()).isEqualTo("grace");
        room.router.updateFollowers(room.ctx);
        room.rtpReceived(viewer);
        audioSequence++;
        audioTimestamp += 960;
        room.send(grace, SpeakerDetectorTest.opusWithLevel(audioSequence + 30_000, 5_000_000L + audioTimestamp,
                GRACE_AUDIO, LOUD));
        room.send(grace, SpeakerDetectorTest.opusWithLevel(audioSequence + 30_001, 5_000_960L + audioTimestamp,
                GRACE_AUDIO, LOUD));
        room.send(ada, SpeakerDetectorTest.opusWithLevel(audioSequence, audioTimestamp, ADA_AUDIO, SILENT));
        List<byte[]> heard = room.rtpReceived(viewer);
        assertThat(heard).as("grace's two packets, not ada's").hasSize(2);
        RtpPacket a = parse(heard.get(0));
        RtpPacket b = parse(heard.get(1));
        assertThat(List.of(a.ssrc(), b.ssrc())).containsOnly(adaAudio.outSsrc());
        assertThat(b.sequenceNumber()).isEqualTo((a.sequenceNumber() + 1) & 0xFFFF);
        assertThat(b.timestamp() - a.timestamp()).isEqualTo(960L);
    }

    @Test
    void aNackForWhatThePreviousSpeakerSentIsNotAnsweredFromTheNewOnesCache() {
        Peer viewer = room.whepFollowingSpeaker("viewer", "ada");
        room.send(ada, rtp(96, 100, 9000, ADA_VIDEO, VP8_KEYFRAME));
        room.send(ada, rtp(96, 101, 9000, ADA_VIDEO, VP8_DELTA));
        int adaSequence = parse(room.rtpReceived(viewer).get(0)).sequenceNumber();
        speak(SILENT, LOUD, 60);
        room.router.updateFollowers(room.ctx);
        room.send(grace, rtp(96, 100, 9000, GRACE_VIDEO, VP8_KEYFRAME)); // the same numbers as ada's, on purpose
        room.send(grace, rtp(96, 101, 9000, GRACE_VIDEO, VP8_DELTA));
        List<byte[]> fromGrace = room.rtpReceived(viewer);
        byte[] lastOfGrace = fromGrace.get(fromGrace.size() - 1);
        RtpPacket lastOfGraceView = parse(lastOfGrace);
        int graceSequence = lastOfGraceView.sequenceNumber();
        room.rtcpReceived(grace);
        room.advanceMillis(400); // past the merging of key frame requests

        room.sendRtcp(viewer, Packets.nack(VIEWER_RTCP, adaVideo.outSsrc(), adaSequence, 0));
        assertThat(room.rtpReceived(viewer)).as("ada's packet is in ada's cache only; grace's 100 is another")
                .isEmpty();
        assertThat(keyframeRequestsTo(grace, GRACE_VIDEO)).as("a key frame is what helps now").isPositive();
        assertThat(viewer.transport().counters().unrepairedPackets()).isEqualTo(1);

        room.sendRtcp(viewer, Packets.nack(VIEWER_RTCP, adaVideo.outSsrc(), graceSequence, 0));
        List<byte[]> repaired = room.rtpReceived(viewer);
        assertThat(repaired).hasSize(1);
        RtpPacket rtx = parse(repaired.get(0));
        assertThat(rtx.ssrc()).as("the RTX SSRC the answer announced").isEqualTo(adaVideo.outRtxSsrc());
        assertThat(Bytes.uint16(repaired.get(0), rtx.payloadOffset())).isEqualTo(graceSequence);
        assertThat(Arrays.copyOfRange(repaired.get(0), rtx.payloadOffset() + 2, repaired.get(0).length))
                .as("grace's packet as the player first got it (picture id continued)")
                .isEqualTo(payload(lastOfGrace, lastOfGraceView));
    }

    @Test
    void whenTheOnePlayedLeavesThePlayerPlaysSomeoneElseAndAFixedPlayerDoesNot() {
        Peer follower = room.whepFollowingSpeaker("follower", "grace");
        Peer fixed = room.whep("fixed", "grace");
        room.send(grace, rtp(96, 100, 9000, GRACE_VIDEO, VP8_KEYFRAME));
        int lastSequence = parse(room.rtpReceived(follower).get(0)).sequenceNumber();
        room.rtpReceived(fixed);

        // Last-N paused grace's video for everyone as she left (the allocation judges the producer a consumer has).
        follower.endpoint().sections().get(1).consumer().setTargetLayer(-1, room.ctx);
        room.router.removeEndpoint(grace.endpoint());
        room.router.updateFollowers(room.ctx);
        assertThat(follower.endpoint().whepTarget()).isEqualTo("ada");
        room.send(ada, rtp(96, 400, 77_000, ADA_VIDEO, VP8_KEYFRAME));
        List<byte[]> received = room.rtpReceived(follower);
        assertThat(received).hasSize(1);
        assertThat(parse(received.get(0)).ssrc()).isEqualTo(graceVideo.outSsrc());
        assertThat(parse(received.get(0)).sequenceNumber()).isEqualTo((lastSequence + 1) & 0xFFFF);
        assertThat(room.rtpReceived(fixed)).as("a player that named grace plays nobody else").isEmpty();
    }

    @Test
    void aSpeakerWithoutACodecThePlayerNegotiatedIsNotFollowed() {
        Peer viewer = room.whepFollowingSpeaker("viewer", "ada");
        Peer linus = room.browser("linus");
        room.publishAudio(linus, 0x0A000301);
        Producer h264 = new Producer("linus-h264", MediaKind.VIDEO, linus.endpoint(), "linus-video",
                RtpCodecSpec.H264, RtpCodecSpec.H264.payloadType(), -1, null, 0x0A0003F1, 0);
        MediaSection section = linus.endpoint().addSection(MediaKind.VIDEO, MediaSection.Role.PUBLISH, null);
        linus.endpoint().addProducer(section, h264, 0x0A000302, 0, room.ctx);
        int[] onlyVp8 = new int[128];
        Arrays.fill(onlyVp8, -1);
        onlyVp8[RtpCodecSpec.VP8.payloadType()] = RtpCodecSpec.VP8.payloadType();
        onlyVp8[RtpCodecSpec.VP8.rtxPayloadType()] = RtpCodecSpec.VP8.rtxPayloadType();
        MediaSection videoSection = viewer.endpoint().sections().get(1);
        videoSection.setConsumerMaps(onlyVp8, null);

        for (int i = 1; i <= 60; i++) {
            room.send(linus, SpeakerDetectorTest.opusWithLevel(i, 960L * i, 0x0A000301, LOUD));
            room.advanceMillis(20);
            room.router.updateActiveSpeaker(room.ctx.nowNanos());
        }
        assertThat(room.router.activeSpeaker()).isEqualTo("linus");
        room.router.updateFollowers(room.ctx);
        assertThat(videoSection.consumer().producer()).as("H.264 cannot go where VP8 was negotiated")
                .isSameAs(adaVideo);
        assertThat(videoSection.consumer().next()).isNull();
    }

    /** Ada and Grace speak at these levels for this long (a packet each 20 ms, the speaker re-evaluated after each). */
    private void speak(int adaLevel, int graceLevel, int packets) {
        for (int i = 0; i < packets; i++) {
            audioSequence++;
            audioTimestamp += 960;
            room.send(ada, SpeakerDetectorTest.opusWithLevel(audioSequence, audioTimestamp, ADA_AUDIO, adaLevel));
            room.send(grace, SpeakerDetectorTest.opusWithLevel(audioSequence + 30_000, 5_000_000L + audioTimestamp,
                    GRACE_AUDIO, graceLevel));
            room.advanceMillis(20);
            room.router.updateActiveSpeaker(room.ctx.nowNanos());
        }
    }

    private long keyframeRequestsTo(Peer publisher, int ssrc) {
        return room.rtcpPacketsReceived(publisher).stream()
                .filter(p -> p.is(206, 1) && p.int32(8) == ssrc).count();
    }

    private static byte[] payload(byte[] packet, RtpPacket view) {
        return Arrays.copyOfRange(packet, view.payloadOffset(), packet.length);
    }
}
