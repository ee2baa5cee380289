package dev.parley.recording;

import java.util.Locale;

/**
 * What a track recorder reads: plain RTP of one codec (its name as SDP spells it, payload type, clock rate, channels
 * for audio), and so which depayloader and container it writes with. VP8, VP9 and Opus go into WebM; H.264 into
 * Matroska, which WebM does not allow.
 */
public record TrackFormat(String codec, int payloadType, int clockRate, int channels) {

    public TrackFormat {
        codec = codec.toUpperCase(Locale.ROOT);
        if (!isSupported(codec)) {
            throw new IllegalArgumentException("no recorder for " + codec);
        }
        if (payloadType < 0 || payloadType > 127 || clockRate <= 0) {
            throw new IllegalArgumentException("bad RTP parameters for " + codec);
        }
    }

    public static boolean isSupported(String codec) {
        return switch (codec.toUpperCase(Locale.ROOT)) {
            case "OPUS", "VP8", "VP9", "H264" -> true;
            default -> false;
        };
    }

    public boolean isAudio() {
        return codec.equals("OPUS");
    }

    /** The file name extension the track is written with. */
    public String extension() {
        return codec.equals("H264") ? "mkv" : "webm";
    }

    /** GStreamer caps of the RTP the recorder's socket receives. */
    String caps() {
        return "application/x-rtp,media=" + (isAudio() ? "audio" : "video") + ",clock-rate=" + clockRate
                + ",encoding-name=" + codec + ",payload=" + payloadType;
    }

    /** The elements from depayloading to the container, as gst-launch arguments. */
    String[] depayToMuxer() {
        return switch (codec) {
            case "OPUS" -> new String[] {"rtpopusdepay", "!", "opusparse", "!", "webmmux"};
            case "VP8" -> new String[] {"rtpvp8depay", "!", "webmmux"};
            case "VP9" -> new String[] {"rtpvp9depay", "!", "webmmux"};
            default -> new String[] {"rtph264depay", "!", "h264parse", "!", "matroskamux"};
        };
    }
}
