package dev.parley.relay.stun;

/** The error responses an ICE-lite agent sends, with the reason phrases suggested by RFC 8489 and RFC 8445. */
public enum StunError {
    BAD_REQUEST(400, "Bad Request"),
    UNAUTHORIZED(401, "Unauthorized"),
    ROLE_CONFLICT(487, "Role Conflict");

    private final int code;
    private final String reason;

    StunError(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }
}
