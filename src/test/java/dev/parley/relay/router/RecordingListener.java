package dev.parley.relay.router;

import java.util.ArrayList;
import java.util.List;

/** An endpoint listener that counts what it was told, for tests in any package. */
public final class RecordingListener implements Endpoint.Listener {

    private int sectionsChanged;
    private int connected;
    private int closed;
    private String closedReason;
    private final List<List<String>> pausedVideo = new ArrayList<>();

    @Override
    public void onSectionsChanged() {
        sectionsChanged++;
    }

    @Override
    public void onConnected() {
        connected++;
    }

    @Override
    public void onClosed(String reason) {
        closed++;
        closedReason = reason;
    }

    @Override
    public void onPausedVideo(List<String> mids) {
        pausedVideo.add(mids);
    }

    /** Every list of videos paused for bandwidth the endpoint was told, in order. */
    public List<List<String>> pausedVideo() {
        return List.copyOf(pausedVideo);
    }

    public int sectionsChanged() {
        return sectionsChanged;
    }

    public int connected() {
        return connected;
    }

    public int closed() {
        return closed;
    }

    /** The reason of the last onClosed, or null. */
    public String closedReason() {
        return closedReason;
    }
}
