package dev.parley.relay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.relay.router.MediaKind;
import dev.parley.relay.rtp.HeaderExtensions;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.rtp.Vp8Payload;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a stream writes, captured before SRTP by a transmitter that keeps copies. */
class OutboundStreamTest {

    private final List<byte[]> sent = new ArrayList<>();
    private boolean connected = true;
    private final RtpTransmitter capture = (packet, view) -> {
        if (!connected) {
            return false;
        }
        sent.add(Arrays.copyOfRange(packet.buffer(), packet.offset(), packet.offset() + packet.length()));
        return true;
    };

    private static RtpPacket rtp(byte[] bytes) {
        RtpPacket packet = new RtpPacket();
        assertThat(packet.wrap(bytes, 0, bytes.length)).isTrue();
        return packet;
    }

    @Test
    void lowLevelSendRtpSharesTheSequenceWithTheSyntheticSenders() {
        OutboundStream audio = new OutboundStream("a0", MediaKind.AUDIO, 0x01020304, 111, 5, 1100, capture);
        byte[] payload = {9, 8, 7, 6, 5};
        assertThat(audio.sendRtp(true, 123_456L, payload, 1, 3)).isTrue();
        assertThat(audio.sendAudio(50)).isTrue();
        assertThatThrownBy(() -> audio.sendRtp(false, 0, new byte[1101], 0, 1101))
                .isInstanceOf(IllegalArgumentException.class);

        RtpPacket first = rtp(sent.get(0));
        assertThat(first.ssrc()).isEqualTo(0x01020304);
        assertThat(first.payloadType()).isEqualTo(111);
        assertThat(first.marker()).isTrue();
        assertThat(first.timestamp()).isEqualTo(123_456L);
        assertThat(Arrays.copyOfRange(first.buffer(), first.payloadOffset(), first.payloadOffset()
                + first.payloadLength())).containsExactly(8, 7, 6);
        long mid = first.findExtension(5);
        assertThat(new String(first.buffer(), HeaderExtensions.valueOffset(mid), HeaderExtensions.valueLength(mid),
                java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("a0");
        RtpPacket second = rtp(sent.get(1));
        assertThat(second.sequenceNumber()).isEqualTo((first.sequenceNumber() + 1) & 0xFFFF);
        assertThat(audio.packetsSent()).isEqualTo(2);
        assertThat(audio.octetsSent()).isEqualTo(3 + 50);
    }

    @Test
    void audioCarriesTheLevelOnceOneIsSet() {
        OutboundStream audio = new OutboundStream("0", MediaKind.AUDIO, 1, 111, 1, 1100, capture);
        assertThat(audio.sendAudio(40)).isTrue();
        audio.setAudioLevel(30);
        assertThat(audio.sendAudio(40)).isTrue();

        assertThat(rtp(sent.get(0)).findExtension(SdpNegotiator.OFFER_AUDIO_LEVEL_EXTENSION_ID))
                .isEqualTo(HeaderExtensions.NOT_FOUND);
        RtpPacket second = rtp(sent.get(1));
        long level = second.findExtension(SdpNegotiator.OFFER_AUDIO_LEVEL_EXTENSION_ID);
        assertThat(HeaderExtensions.valueLength(level)).isEqualTo(1);
        assertThat(second.buffer()[HeaderExtensions.valueOffset(level)] & 0xFF).as("V=1, level 30").isEqualTo(0x80 | 30);
        assertThat(second.findExtension(1)).as("the MID is still there").isNotEqualTo(HeaderExtensions.NOT_FOUND);
    }

    @Test
    void videoFramesAreSplitSharingATimestampWithTheMarkerLast() {
        OutboundStream video = new OutboundStream("1", MediaKind.VIDEO, 7, 96, 0, 1000, capture);
        assertThat(video.sendVideoFrame(2500, true)).isEqualTo(3);
        List<RtpPacket> packets = sent.stream().map(OutboundStreamTest::rtp).toList();
        assertThat(packets).extracting(RtpPacket::payloadLength).containsExactly(834, 833, 833);
        assertThat(packets).extracting(RtpPacket::marker).containsExactly(false, false, true);
        assertThat(packets).extracting(RtpPacket::timestamp).containsOnly(packets.get(0).timestamp());
        assertThat(packets).extracting(p -> Vp8Payload.isKeyframe(p.buffer(), p.payloadOffset(), p.payloadLength()))
                .containsExactly(true, false, false);
        assertThat(packets.get(0).hasExtension()).as("no MID extension negotiated").isFalse();
        assertThat(video.framesSent()).isEqualTo(1);
        assertThat(video.keyframesSent()).isEqualTo(1);
    }

    @Test
    void aFrameCanGoOutAFewPacketsAtATimeAndANewFrameFinishesTheOldOne() {
        OutboundStream video = new OutboundStream("1", MediaKind.VIDEO, 7, 96, 0, 1000, capture);
        long first = video.startVideoFrame(2500, true);
        assertThat(video.sendFramePackets(first, 1)).isEqualTo(1);
        assertThat(video.framePacketsLeft(first)).isEqualTo(2);
        assertThat(video.framesSent()).isZero();
        assertThat(video.sendFramePackets(first, 1)).isEqualTo(1);

        long second = video.startVideoFrame(1500, false); // sends the first frame's last packet before starting
        assertThat(sent).hasSize(3);
        assertThat(video.framesSent()).isEqualTo(1);
        assertThat(video.keyframesSent()).isEqualTo(1);
        assertThat(video.framePacketsLeft(first)).as("an old frame is never resumed").isZero();
        assertThat(video.sendFramePackets(first, 5)).isZero();
        assertThat(video.sendFramePackets(second, 5)).isEqualTo(2);
        assertThat(video.framePacketsLeft(second)).isZero();

        List<RtpPacket> packets = sent.stream().map(OutboundStreamTest::rtp).toList();
        assertThat(packets).extracting(RtpPacket::marker).containsExactly(false, false, true, false, true);
        assertThat(packets.subList(0, 3)).extracting(RtpPacket::timestamp).containsOnly(packets.get(0).timestamp());
        assertThat(packets).extracting(RtpPacket::sequenceNumber).doesNotHaveDuplicates();
        assertThat(packets).extracting(p -> Vp8Payload.isKeyframe(p.buffer(), p.payloadOffset(), p.payloadLength()))
                .containsExactly(true, false, false, false, false);
        assertThat(video.framesSent()).isEqualTo(2);
    }

    @Test
    void aKeyframeRequestedWhileDisconnectedIsStillOwed() {
        OutboundStream video = new OutboundStream("1", MediaKind.VIDEO, 7, 96, 0, 1000, capture);
        video.requestKeyframe();
        connected = false;
        assertThat(video.sendVideoFrame(500, false)).isZero();
        assertThat(video.sendFailures()).isEqualTo(1);
        connected = true;
        assertThat(video.sendVideoFrame(500, false)).isEqualTo(1);
        RtpPacket p = rtp(sent.get(0));
        assertThat(Vp8Payload.isKeyframe(p.buffer(), p.payloadOffset(), p.payloadLength())).isTrue();
        video.setActive(false);
        assertThat(video.sendVideoFrame(500, false)).isZero();
        assertThat(sent).hasSize(1);
    }

    @Test
    void sendingAllocatesNothingPerPacket() {
        com.sun.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean()
                instanceof com.sun.management.ThreadMXBean t ? t : null;
        assumeTrue(threads != null && threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        long[] checksum = new long[1];
        RtpTransmitter discard = (packet, view) -> {
            checksum[0] += packet.length() + view.capacity();
            return true;
        };
        OutboundStream audio = new OutboundStream("0", MediaKind.AUDIO, 1, 111, 1, 1100, discard);
        OutboundStream video = new OutboundStream("1", MediaKind.VIDEO, 2, 96, 1, 1100, discard);
        for (int i = 0; i < 20_000; i++) {
            audio.sendAudio(100);
            video.sendVideoFrame(1500, i % 30 == 0);
        }
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 50_000; i++) {
            audio.sendAudio(100);
            video.sendVideoFrame(1500, i % 30 == 0);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertThat(checksum[0]).isPositive();
        assertThat(audio.packetsSent() + video.packetsSent()).isEqualTo(70_000 * 3);
        // 150k packets: one allocation per packet would be at least 2.4 MB
        assertThat(allocated).isLessThan(64 * 1024);
    }
}
