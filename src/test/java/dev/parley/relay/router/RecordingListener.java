package dev.parley.relay.router;

/** An endpoint listener that counts what it was told, for tests in any package. */
public final class RecordingListener implements Endpoint.Listener {

    private int sectionsChanged;
    private int connected;
    private int closed;
    private String closedReason;

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
