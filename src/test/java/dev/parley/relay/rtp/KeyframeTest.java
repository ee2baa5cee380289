package dev.parley.relay.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Payloads built from the bit layouts of RFC 7741 (VP8), RFC 6184 (H.264) and RFC 9628 (VP9). */
class KeyframeTest {

    private static boolean vp8(String hex) {
        byte[] b = Hex.bytes(hex);
        return Vp8Payload.isKeyframe(b, 0, b.length);
    }

    private static boolean h264(String hex) {
        byte[] b = Hex.bytes(hex);
        return H264Payload.isKeyframe(b, 0, b.length);
    }

    private static boolean vp9(String hex) {
        byte[] b = Hex.bytes(hex);
        return Vp9Payload.isKeyframe(b, 0, b.length);
    }

    // VP8 payload header first byte |Size0|H|VER|P|: 0x50 = Size0 2, H 1, VER 0, P 0 (key frame); 0x51 has P = 1.

    @Test
    void vp8MinimalDescriptor() {
        assertThat(vp8("10 50 00")).as("S=1 PID=0, P=0").isTrue();
        assertThat(vp8("10 51 00")).as("P=1: inter frame").isFalse();
        assertThat(vp8("00 50 00")).as("S=0: continuation").isFalse();
        assertThat(vp8("11 50 00")).as("PID=1: not partition 0").isFalse();
        assertThat(vp8("10")).as("no payload header").isFalse();
    }

    @Test
    void vp8ExtendedDescriptor() {
        // X=1 S=1 | I=1 L=1 T=1 K=0 | M=1 PictureID 0x0123 (2 bytes) | TL0PICIDX 5 | TID=1 Y=0 KEYIDX=0 | header
        assertThat(vp8("90 E0 81 23 05 40 50")).isTrue();
        assertThat(Vp8Payload.descriptorLength(Hex.bytes("90 E0 81 23 05 40 50"), 0, 7)).isEqualTo(6);
        // I=1 with a 7-bit picture id (M=0)
        assertThat(vp8("90 80 7F 50")).isTrue();
        assertThat(vp8("90 80 7F 51")).isFalse();
        // L only
        assertThat(vp8("90 40 09 50")).isTrue();
        // K only (T/K byte present)
        assertThat(vp8("90 10 1F 50")).isTrue();
        // X set but nothing more
        assertThat(vp8("90 00 50")).isTrue();
        // truncated: the descriptor eats the byte that would be the payload header
        assertThat(vp8("90 E0 81 23 05 40")).isFalse();
        assertThat(vp8("90 80")).isFalse();
        assertThat(Vp8Payload.descriptorLength(Hex.bytes("90 E0 81"), 0, 3)).isEqualTo(-1);
    }

    @Test
    void h264SingleNalUnits() {
        // NAL header |F|NRI|Type|
        assertThat(h264("65 88 84")).as("IDR slice, type 5").isTrue();
        assertThat(h264("67 42 C0 1F")).as("SPS, type 7").isTrue();
        assertThat(h264("68 CE 3C 80")).as("PPS, type 8").isFalse();
        assertThat(h264("41 9A 00")).as("non-IDR slice, type 1").isFalse();
        assertThat(h264("06 05 FF")).as("SEI, type 6").isFalse();
        assertThat(h264("")).isFalse();
    }

    @Test
    void h264StapA() {
        // STAP-A header type 24 (0x78 = NRI 3), then |size|NAL| ...
        assertThat(h264("78 | 0004 67 42 C0 1F | 0002 68 CE | 0003 65 88 84")).isTrue();
        assertThat(h264("78 | 0002 68 CE | 0003 65 88 84")).as("IDR second").isTrue();
        assertThat(h264("78 | 0002 68 CE | 0002 06 05")).as("PPS and SEI only").isFalse();
        assertThat(h264("78 | 0009 67 42")).as("size beyond payload").isFalse();
        assertThat(h264("78 | 0000 67 42")).as("zero size").isFalse();
        assertThat(h264("78")).isFalse();
    }

    @Test
    void h264FuA() {
        // FU indicator type 28 (0x7C = NRI 3), FU header |S|E|R|Type|
        assertThat(h264("7C 85 88 84")).as("S=1 type 5").isTrue();
        assertThat(h264("7C 87 42 C0")).as("S=1 type 7").isTrue();
        assertThat(h264("7C 05 88 84")).as("middle fragment").isFalse();
        assertThat(h264("7C 45 88 84")).as("end fragment").isFalse();
        assertThat(h264("7C 81 9A")).as("S=1 type 1").isFalse();
        assertThat(h264("7C")).as("no FU header").isFalse();
    }

    // VP9 first byte |I|P|L|F|B|E|V|Z|. A VP9 frame starts with frame marker bits 10: 0x82 as the payload byte.

    @Test
    void vp9NonFlexibleKeyframeWithScalabilityStructure() {
        String descriptor = "AA" // I=1 P=0 L=1 F=0 B=1 E=0 V=1 Z=0
                + "80 2A" // M=1, picture id 0x002A
                + "00" // TID=0 U=0 SID=0 D=0
                + "07" // TL0PICIDX
                + "58" // N_S=2 (three layers) Y=1 G=1
                + "0140 00B4 0280 0168 0500 02D0" // WIDTH, HEIGHT x 3
                + "01" // N_G=1
                + "04 01"; // TID=0 U=0 R=1, P_DIFF 1
        byte[] b = Hex.bytes(descriptor + "82"); // then VP9 payload
        assertThat(Vp9Payload.isKeyframe(b, 0, b.length)).isTrue();
        assertThat(Vp9Payload.descriptorLength(b, 0, b.length)).isEqualTo(b.length - 1);
        assertThat(Vp9Payload.isKeyframe(b, 0, b.length - 1)).as("no payload after SS").isFalse();
        assertThat(Vp9Payload.descriptorLength(b, 0, b.length - 2)).as("P_DIFF of N_G entry cut").isEqualTo(-1);
        assertThat(Vp9Payload.descriptorLength(b, 0, 10)).as("resolutions cut").isEqualTo(-1);
        assertThat(vp9(descriptor.replace("AA", "EA") + "82")).as("same with P=1").isFalse();
    }

    @Test
    void vp9KeyframeConditions() {
        assertThat(vp9("08 82")).as("B only, no optional fields").isTrue();
        assertThat(vp9("48 82")).as("P set").isFalse();
        assertThat(vp9("00 82")).as("B clear").isFalse();
        assertThat(vp9("28 02 07 82")).as("L: SID 1").isFalse();
        assertThat(vp9("28 00 07 82")).as("L: SID 0").isTrue();
        assertThat(vp9("88 05 82")).as("7-bit picture id").isTrue();
        assertThat(vp9("88 85")).as("15-bit picture id truncated").isFalse();
        assertThat(vp9("0A 00 82")).as("V with bare SS: N_S=0, no Y, no G").isTrue();
    }

    @Test
    void vp9FlexibleMode() {
        // F=1 B=1 I=1 L=1, P=0: layer byte without TL0PICIDX
        assertThat(vp9("B8 05 00 82")).isTrue();
        // F=1 P=1: P_DIFF list with N chaining, inter-predicted, so not a keyframe
        byte[] predicted = Hex.bytes("D8 05 03 05 02 82");
        assertThat(Vp9Payload.descriptorLength(predicted, 0, predicted.length)).isEqualTo(5);
        assertThat(Vp9Payload.isKeyframe(predicted, 0, predicted.length)).isFalse();
        // four chained P_DIFFs exceed the maximum of three
        byte[] tooMany = Hex.bytes("D8 05 03 03 03 03 82");
        assertThat(Vp9Payload.descriptorLength(tooMany, 0, tooMany.length)).isEqualTo(-1);
    }

    @Test
    void offsetsAndBadArguments() {
        byte[] b = Hex.bytes("FFFF 10 50 FFFF");
        assertThat(Vp8Payload.isKeyframe(b, 2, 2)).isTrue();
        assertThat(Vp8Payload.isKeyframe(b, 2, 10)).isFalse();
        assertThat(H264Payload.isKeyframe(null, 0, 1)).isFalse();
        assertThat(Vp9Payload.isKeyframe(b, -1, 2)).isFalse();
    }
}
