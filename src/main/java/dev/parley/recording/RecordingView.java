package dev.parley.recording;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A recording as its pages and the API show it: its row, its room, its track files, and the bytes its files take on
 * disk now (measured, so that a track being written grows between two looks).
 *
 * @param roomTitle the room's title, or null for a room deleted meanwhile
 * @param composedBytes the composed file's size; 0 while there is none
 * @param trackBytes all its track files together
 */
public record RecordingView(Recording recording, String roomTitle, String roomSlug, List<Track> tracks,
                            long composedBytes, long trackBytes) {

    /** A track file with its size on disk now. */
    public record Track(RecordingTrack track, long bytes) {

        public String sizeText() {
            return RecordingView.sizeText(bytes);
        }
    }

    public String id() {
        return recording.getId();
    }

    public Recording.State state() {
        return recording.getState();
    }

    /** The composed file may be downloaded: the recording is ready and its file is there. */
    public boolean composedAvailable() {
        return recording.getState() == Recording.State.READY && composedBytes > 0;
    }

    public boolean inProgress() {
        return recording.getState() == Recording.State.RECORDING || recording.getState() == Recording.State.COMPOSING;
    }

    public long totalBytes() {
        return composedBytes + trackBytes;
    }

    public String composedSizeText() {
        return composedBytes > 0 ? sizeText(composedBytes) : "—";
    }

    public String trackSizeText() {
        return sizeText(trackBytes);
    }

    public String totalSizeText() {
        return sizeText(totalBytes());
    }

    /** The recorded span as h:mm:ss (or m:ss); a dash while unknown. */
    public String durationText() {
        Duration duration = recording.getDuration();
        return duration == null ? "—" : durationText(duration);
    }

    static String durationText(Duration duration) {
        long seconds = duration.toSeconds();
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }

    /** Bytes in binary units with one decimal: 512 B, 1.5 KB, 12.3 MB, 2.0 GB. */
    public static String sizeText(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
