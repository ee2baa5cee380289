package dev.parley.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.recording.GridLayout.Tile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilterGraphBuilderTest {

    @Test
    void oneTileWithVideoAndAudio() {
        Tile tile = GridLayout.tiles(1, 1280, 720).get(0);
        String graph = new FilterGraphBuilder(1280, 720, 30, 10_000)
                .video(0, tile, 0)
                .audio(1, 250)
                .build();
        assertThat(graph).isEqualTo("""
                color=c=black:s=1280x720:r=30:d=10.000,format=yuv420p[bg0];
                [0:v]setpts=PTS+0.000/TB,scale=w=1280:h=720:force_original_aspect_ratio=decrease:force_divisible_by=2\
                :eval=frame[v0];
                [bg0][v0]overlay=x=0+(1280-w)/2:y=0+(720-h)/2:eval=frame:eof_action=pass[bg1];
                [bg1]trim=end=10.000[vout];
                [1:a]aresample=async=1:first_pts=0,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo\
                ,adelay=delays=250:all=1[a0];
                [a0]apad,atrim=end=10.000[aout]
                """);
    }

    @Test
    void twoTilesSideBySideWithALabelAndTwoVideosInOneTile() {
        List<Tile> tiles = GridLayout.tiles(2, 1280, 720);
        String graph = new FilterGraphBuilder(1280, 720, 30, 7_500)
                .label(tiles.get(1), Path.of("/tmp/work/label-1.txt"))
                .video(0, tiles.get(0), 0)
                .video(2, tiles.get(1), 2_000)
                .video(4, tiles.get(1), 5_125)
                .audio(1, 0)
                .audio(3, 2_000)
                .build();
        assertThat(graph).isEqualTo("""
                color=c=black:s=1280x720:r=30:d=7.500,format=yuv420p,\
                drawtext=textfile=''\\''/tmp/work/label-1.txt'\\'''\
                :expansion=none:fontcolor=white:fontsize=53:x=640+(640-text_w)/2:y=0+(720-text_h)/2[bg0];
                [0:v]setpts=PTS+0.000/TB,scale=w=640:h=720:force_original_aspect_ratio=decrease:force_divisible_by=2\
                :eval=frame[v0];
                [bg0][v0]overlay=x=0+(640-w)/2:y=0+(720-h)/2:eval=frame:eof_action=pass[bg1];
                [2:v]setpts=PTS+2.000/TB,scale=w=640:h=720:force_original_aspect_ratio=decrease:force_divisible_by=2\
                :eval=frame[v1];
                [bg1][v1]overlay=x=640+(640-w)/2:y=0+(720-h)/2:eval=frame:eof_action=pass[bg2];
                [4:v]setpts=PTS+5.125/TB,scale=w=640:h=720:force_original_aspect_ratio=decrease:force_divisible_by=2\
                :eval=frame[v2];
                [bg2][v2]overlay=x=640+(640-w)/2:y=0+(720-h)/2:eval=frame:eof_action=pass[bg3];
                [bg3]trim=end=7.500[vout];
                [1:a]aresample=async=1:first_pts=0,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo\
                ,adelay=delays=0:all=1[a0];
                [3:a]aresample=async=1:first_pts=0,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo\
                ,adelay=delays=2000:all=1[a1];
                [a0][a1]amix=inputs=2:duration=longest:dropout_transition=0:normalize=0,apad,atrim=end=7.500[aout]
                """);
    }

    @Test
    void fiveTilesPlaceEachVideoInItsOwnTileOfAThreeByTwoGrid() {
        List<Tile> tiles = GridLayout.tiles(5, 1280, 720);
        FilterGraphBuilder builder = new FilterGraphBuilder(1280, 720, 30, 60_000);
        for (int i = 0; i < 5; i++) {
            builder.video(2 * i, tiles.get(i), 1_000L * i).audio(2 * i + 1, 1_000L * i);
        }
        String graph = builder.build();
        assertThat(graph.lines()).hasSize(1 + 2 * 5 + 1 + 5 + 1);
        assertThat(graph).contains("[8:v]setpts=PTS+4.000/TB,scale=w=426:h=360:")
                .contains("[bg0][v0]overlay=x=0+(426-w)/2:y=0+(360-h)/2:")
                .contains("[bg2][v2]overlay=x=852+(426-w)/2:y=0+(360-h)/2:")
                .contains("[bg3][v3]overlay=x=214+(426-w)/2:y=360+(360-h)/2:")
                .contains("[bg4][v4]overlay=x=640+(426-w)/2:y=360+(360-h)/2:eval=frame:eof_action=pass[bg5];\n"
                        + "[bg5]trim=end=60.000[vout];")
                .contains("[9:a]aresample=")
                .contains("adelay=delays=4000:all=1[a4]")
                .endsWith("[a0][a1][a2][a3][a4]amix=inputs=5:duration=longest:dropout_transition=0:normalize=0,"
                        + "apad,atrim=end=60.000[aout]\n");
    }

    @Test
    void withoutAudioTheSoundtrackIsSilence() {
        String graph = new FilterGraphBuilder(640, 360, 25, 3_000)
                .video(0, GridLayout.tiles(1, 640, 360).get(0), 0)
                .build();
        assertThat(graph).endsWith("[bg1]trim=end=3.000[vout];\nanullsrc=r=48000:cl=stereo,atrim=end=3.000[aout]\n");
    }

    @Test
    void labelsMayNameTheirFont() {
        Tile tile = GridLayout.tiles(1, 640, 360).get(0);
        String graph = new FilterGraphBuilder(640, 360, 30, 1_000)
                .labelFont("Noto Sans CJK SC")
                .label(tile, Path.of("/tmp/l.txt"))
                .build();
        assertThat(graph).startsWith("color=c=black:s=640x360:r=30:d=1.000,format=yuv420p,drawtext=textfile="
                + "''\\''/tmp/l.txt'\\''':font=''\\''Noto Sans CJK SC'\\''':expansion=none:fontcolor=white:"
                + "fontsize=45:");
    }

    @Test
    void optionValuesAreQuotedForBothLevelsOfTheGraphSyntax() {
        assertThat(FilterGraphBuilder.escape("/tmp/a.txt")).isEqualTo("''\\''/tmp/a.txt'\\'''");
        // A quote inside survives both unquotings; colons, commas and brackets are inside quotes at both levels.
        assertThat(FilterGraphBuilder.escape("it's:[x],y")).isEqualTo("''\\''it'\\''\\'\\'''\\''s:[x],y'\\'''");
    }
}
