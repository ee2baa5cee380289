package dev.parley.relay.negotiation;

/**
 * Where a browser's offer/answer exchange stands (the relay always offers): whether a new offer is due, and which
 * version is waiting for its answer. One offer at a time; changes made meanwhile go into the next one. Loop thread
 * only.
 */
public final class OfferState {

    private int version;
    private boolean awaitingAnswer;
    private boolean due;

    /** Something changed that the browser must hear about. */
    public void requireOffer() {
        due = true;
    }

    /** Whether an offer should go out now: one is due and none is waiting for its answer. */
    public boolean needsOffer() {
        return due && !awaitingAnswer;
    }

    /** Marks an offer as sent and returns its version. */
    public int beginOffer() {
        due = false;
        awaitingAnswer = true;
        return ++version;
    }

    public boolean isAwaitingAnswer(int answeredVersion) {
        return awaitingAnswer && answeredVersion == version;
    }

    /** The answer was applied; returns whether another offer is already due. */
    public boolean answerApplied() {
        awaitingAnswer = false;
        return due;
    }

    public int version() {
        return version;
    }
}
