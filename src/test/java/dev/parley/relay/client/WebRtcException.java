package dev.parley.relay.client;

import java.io.IOException;

/** Connecting failed, or the connection was lost; {@link #stage()} tells where. */
public class WebRtcException extends IOException {

    private static final long serialVersionUID = 1L;

    public enum Stage {
        /** No verified answer to the connectivity checks, or consent expired. */
        ICE,
        /** The DTLS handshake failed (alert, certificate not matching the fingerprint, timeout). */
        DTLS,
        /** The endpoint was closed or is in a state that cannot connect. */
        STATE
    }

    private final Stage stage;

    public WebRtcException(Stage stage, String message) {
        super(message);
        this.stage = stage;
    }

    public WebRtcException(Stage stage, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
    }

    public Stage stage() {
        return stage;
    }
}
