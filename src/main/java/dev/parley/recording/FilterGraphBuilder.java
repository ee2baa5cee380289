package dev.parley.recording;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the ffmpeg filter graph of a grid composition: a black canvas of the recording's exact length (with a name
 * drawn in the middle of each tile when asked), each video shifted to its offset, scaled into its tile keeping its
 * aspect (per frame, so a resolution change mid-file is fine) and laid over the canvas only while it has frames; every
 * audio track gaps filled with silence, delayed by its offset and mixed without lowering the volume; the audio padded
 * with silence, or wholly silent when there is none, to the same length. Outputs are labelled [vout] and [aout].
 */
final class FilterGraphBuilder {

    static final String VIDEO_OUT = "[vout]";
    static final String AUDIO_OUT = "[aout]";

    private record Video(int input, GridLayout.Tile tile, long offsetMillis) {
    }

    private record Audio(int input, long offsetMillis) {
    }

    private record Label(GridLayout.Tile tile, Path textFile) {
    }

    private final int width;
    private final int height;
    private final int frameRate;
    private final long durationMillis;
    private final List<Video> videos = new ArrayList<>();
    private final List<Audio> audios = new ArrayList<>();
    private final List<Label> labels = new ArrayList<>();
    private String labelFont;

    FilterGraphBuilder(int width, int height, int frameRate, long durationMillis) {
        this.width = width;
        this.height = height;
        this.frameRate = frameRate;
        this.durationMillis = durationMillis;
    }

    /** Lays the video of ffmpeg input number {@code input} over the tile from {@code offsetMillis} on. */
    FilterGraphBuilder video(int input, GridLayout.Tile tile, long offsetMillis) {
        videos.add(new Video(input, tile, offsetMillis));
        return this;
    }

    /** Mixes the audio of ffmpeg input number {@code input} in from {@code offsetMillis} on. */
    FilterGraphBuilder audio(int input, long offsetMillis) {
        audios.add(new Audio(input, offsetMillis));
        return this;
    }

    /** Draws the text of the file (UTF-8, taken literally) in the middle of the tile, under any video. */
    FilterGraphBuilder label(GridLayout.Tile tile, Path textFile) {
        labels.add(new Label(tile, textFile));
        return this;
    }

    /** The fontconfig family the labels are drawn in (null: fontconfig's default). */
    FilterGraphBuilder labelFont(String family) {
        this.labelFont = family;
        return this;
    }

    String build() {
        List<String> chains = new ArrayList<>();
        String duration = seconds(durationMillis);
        StringBuilder canvas = new StringBuilder("color=c=black:s=" + width + "x" + height + ":r=" + frameRate + ":d="
                + duration + ",format=yuv420p");
        for (Label label : labels) {
            GridLayout.Tile t = label.tile();
            int fontSize = Math.max(12, Math.min(t.height() / 8, t.width() / 12));
            canvas.append(",drawtext=textfile=").append(escape(label.textFile().toString()));
            if (labelFont != null) {
                canvas.append(":font=").append(escape(labelFont));
            }
            canvas.append(":expansion=none:fontcolor=white:fontsize=").append(fontSize)
                    .append(":x=").append(t.x()).append("+(").append(t.width()).append("-text_w)/2")
                    .append(":y=").append(t.y()).append("+(").append(t.height()).append("-text_h)/2");
        }
        chains.add(canvas + "[bg0]");
        for (int i = 0; i < videos.size(); i++) {
            Video v = videos.get(i);
            GridLayout.Tile t = v.tile();
            chains.add("[" + v.input() + ":v]setpts=PTS+" + seconds(v.offsetMillis()) + "/TB,scale=w=" + t.width()
                    + ":h=" + t.height() + ":force_original_aspect_ratio=decrease:force_divisible_by=2:eval=frame[v"
                    + i + "]");
            chains.add("[bg" + i + "][v" + i + "]overlay=x=" + t.x() + "+(" + t.width() + "-w)/2:y=" + t.y() + "+("
                    + t.height() + "-h)/2:eval=frame:eof_action=pass[bg" + (i + 1) + "]");
        }
        chains.add("[bg" + videos.size() + "]trim=end=" + duration + VIDEO_OUT);
        for (int i = 0; i < audios.size(); i++) {
            Audio a = audios.get(i);
            chains.add("[" + a.input() + ":a]aresample=async=1:first_pts=0,"
                    + "aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,adelay=delays="
                    + a.offsetMillis() + ":all=1[a" + i + "]");
        }
        String end = "apad,atrim=end=" + duration + AUDIO_OUT;
        if (audios.isEmpty()) {
            chains.add("anullsrc=r=48000:cl=stereo,atrim=end=" + duration + AUDIO_OUT);
        } else if (audios.size() == 1) {
            chains.add("[a0]" + end);
        } else {
            StringBuilder mix = new StringBuilder();
            for (int i = 0; i < audios.size(); i++) {
                mix.append("[a").append(i).append(']');
            }
            chains.add(mix + "amix=inputs=" + audios.size() + ":duration=longest:dropout_transition=0:normalize=0,"
                    + end);
        }
        return String.join(";\n", chains) + "\n";
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
    }

    /**
     * Quotes a filter option value twice, as ffmpeg unquotes it twice: once as an option value, once as part of the
     * graph ("Notes on filtergraph escaping" in ffmpeg-filters).
     */
    static String escape(String value) {
        return quote(quote(value));
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
