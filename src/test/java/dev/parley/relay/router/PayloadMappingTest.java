package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.VP8_KEYFRAME;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.rtp.HeaderExtensions;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.stats.DropReason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Publishers that chose their own numbers (WHIP clients offer their own) are mapped to the relay's canonical payload
 * types and header-extension ids on the way in; players that chose their own (WHEP) get their numbers on the way out.
 */
class PayloadMappingTest {

    private static final int CLIENT_VP8 = 100;
    private static final int CLIENT_VP8_RTX = 101;
    private static final int CLIENT_ORIENTATION_ID = 5;
    private static final int UNKNOWN_EXTENSION_ID = 7;
    private static final int CANONICAL_ORIENTATION_ID = 3;

    private final RoomHarness room = new RoomHarness();

    /** A WHIP publisher's VP8 on its own payload types, with the video-orientation extension on id 5. */
    private Producer whipVideo(Peer whip, int ssrc) {
        Endpoint endpoint = whip.endpoint();
        MediaSection section = endpoint.addSection(MediaKind.VIDEO, MediaSection.Role.PUBLISH, "v");
        byte[] extensionMap = new byte[256];
        extensionMap[CLIENT_ORIENTATION_ID] = CANONICAL_ORIENTATION_ID;
        Producer producer = new Producer(endpoint.id() + "-v", MediaKind.VIDEO, endpoint, "obs-video",
                RtpCodecSpec.VP8, CLIENT_VP8, CLIENT_VP8_RTX, extensionMap, 0x0B000001, 0x0B000002);
        endpoint.addProducer(section, producer, ssrc, 0, room.ctx);
        return producer;
    }

    /** RTP with a one-byte-header extension block (RFC 8285 4.2): orientation on id 5, something else on id 7. */
    private static byte[] withExtensions(int payloadType, int sequence, int ssrc, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + 4 + 8 + payload.length);
        b.put((byte) 0x90).put((byte) payloadType).putShort((short) sequence).putInt(90_000).putInt(ssrc);
        b.putShort((short) 0xBEDE).putShort((short) 2);
        b.put((byte) (CLIENT_ORIENTATION_ID << 4)).put((byte) 0x01); // one byte of data
        b.put((byte) (UNKNOWN_EXTENSION_ID << 4 | 1)).put((byte) 0xAA).put((byte) 0xBB); // two bytes of data
        b.put(new byte[3]); // padding to the 32-bit boundary
        b.put(payload);
        return b.array();
    }

    @Test
    void aWhipPublishersPayloadTypeAndExtensionIdsBecomeTheCanonicalOnes() {
        Peer obs = room.whip("obs");
        Peer bob = room.browser("bob");
        whipVideo(obs, 0x5000_0001);
        room.negotiate();

        room.send(obs, withExtensions(CLIENT_VP8, 7, 0x5000_0001, VP8_KEYFRAME));

        List<byte[]> received = room.rtpReceived(bob);
        assertThat(received).hasSize(1);
        RtpPacket packet = RoomHarness.parse(received.get(0));
        assertThat(packet.payloadType()).as("VP8 on the relay's canonical payload type").isEqualTo(96);
        assertThat(packet.findExtension(CANONICAL_ORIENTATION_ID)).as("orientation under the canonical id")
                .isNotEqualTo(HeaderExtensions.NOT_FOUND);
        assertThat(packet.findExtension(CLIENT_ORIENTATION_ID)).as("the client's id is gone")
                .isEqualTo(HeaderExtensions.NOT_FOUND);
        assertThat(packet.findExtension(UNKNOWN_EXTENSION_ID)).as("an extension the relay does not forward is stripped")
                .isEqualTo(HeaderExtensions.NOT_FOUND);
        assertThat(Arrays.copyOfRange(received.get(0), packet.payloadOffset(), received.get(0).length))
                .isEqualTo(VP8_KEYFRAME);
    }

    @Test
    void aPayloadTypeThePublisherDidNotNegotiateIsDropped() {
        Peer obs = room.whip("obs");
        Peer bob = room.browser("bob");
        whipVideo(obs, 0x5000_0001);
        room.negotiate();

        room.send(obs, Packets.rtp(96, 7, 90_000, 0x5000_0001, VP8_KEYFRAME));

        assertThat(room.rtpReceived(bob)).as("96 is canonical, but this publisher never offered it").isEmpty();
        assertThat(obs.transport().counters().drops(DropReason.UNKNOWN_PAYLOAD_TYPE)).isEqualTo(1);
    }

    @Test
    void aWhepPlayerGetsThePayloadTypeItOfferedAndNoRtxItDidNotNegotiate() {
        Peer alice = room.browser("alice");
        room.publishVideo(alice, 0x3333_0001, 0x3333_0002);
        Peer player = room.fixture.connectedPeer("player", Endpoint.Kind.WHEP, room.router, LoopFixture.quiet());
        player.endpoint().setWhepTarget("alice");
        MediaSection section = player.endpoint().addSection(MediaKind.VIDEO, MediaSection.Role.CONSUME, "0");
        int[] payloadTypes = new int[128];
        Arrays.fill(payloadTypes, -1);
        payloadTypes[96] = 120; // the player offered VP8 as 120 and no RTX
        section.setConsumerMaps(payloadTypes, new byte[256]);
        room.router.addEndpoint(player.endpoint(), room.ctx);
        room.negotiate();

        room.send(alice, Packets.rtp(96, 1, 90_000, 0x3333_0001, VP8_KEYFRAME));
        room.send(alice, Packets.rtx(97, 50, 0x3333_0002, 1, VP8_KEYFRAME));

        List<byte[]> received = room.rtpReceived(player);
        assertThat(received).hasSize(1);
        assertThat(RoomHarness.parse(received.get(0)).payloadType()).as("VP8 as 120; the RTX is not sent").isEqualTo(120);
    }
}
