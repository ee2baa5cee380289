package dev.parley.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which tile of the composed video each participant's files take. */
class RecordingCompositionTest {

    @Test
    void onePersonsStaysOneAfterTheOtherShareATileAndStaysAtOnceDoNot() {
        RecordingTrack adaFirst = track("p-ada-1", "user:7", 0, 5_000);
        RecordingTrack adaBack = track("p-ada-2", "user:7", 6_000, 9_000);
        RecordingTrack adaOtherTab = track("p-ada-3", "user:7", 1_000, 8_000);
        RecordingTrack adaPhoneLater = track("p-ada-4", "user:7", 8_500, 9_000);
        RecordingTrack bob = track("p-bob", "visitor:abc", 0, 9_000);
        RecordingTrack older = track("p-cy", null, 0, 9_000); // recorded before persons were kept

        Map<String, String> tiles = RecordingComposition.tiles(List.of(adaFirst, adaBack, adaOtherTab, adaPhoneLater,
                bob, older, track("p-ada-1", "user:7", 0, 5_000)));

        assertThat(tiles.get("p-ada-2")).as("Ada came back: her tile").isEqualTo(tiles.get("p-ada-1"));
        assertThat(tiles.get("p-ada-3")).as("Ada's other tab at the same time: a tile of its own")
                .isNotEqualTo(tiles.get("p-ada-1"));
        assertThat(tiles.get("p-ada-4")).as("once the other tab left, its tile is free again")
                .isEqualTo(tiles.get("p-ada-3"));
        assertThat(tiles).as("each participant, a file of Ada's first stay twice").hasSize(6);
        assertThat(new HashSet<>(tiles.values())).as("Ada's two tiles, Bob's, Cy's").hasSize(4);
        assertThat(tiles.get("p-cy")).as("an older row: by its participant").startsWith("p-cy");
    }

    private static RecordingTrack track(String participantId, String person, long start, long end) {
        RecordingTrack track = new RecordingTrack(participantId + "-" + start, "r-1", participantId, person, "Someone",
                "video", "camera", "VP8", participantId + ".webm", start, 0);
        track.finished(RecordingTrack.State.COMPLETE, end, 1);
        return track;
    }
}
