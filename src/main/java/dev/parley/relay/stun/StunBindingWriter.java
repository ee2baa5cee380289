package dev.parley.relay.stun;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the Binding messages of ICE: the lite agent's success and error responses, and the controlling agent's
 * request. Every message ends with FINGERPRINT (RFC 8445 section 7.1 and 7.3 require it).
 *
 * <p>Each method writes into {@code out} at {@code off} and returns the length, or -1 if {@code out} has no room; the
 * variants without a buffer return a fresh array. Keys are the short-term credential keys (UTF-8 of ice-pwd, see
 * {@link StunMessage#shortTermKey}). Not thread-safe: it reuses one {@link StunWriter}; use one instance per thread.
 */
public final class StunBindingWriter {

    private static final int SCRATCH_SIZE = 2048;

    private final StunWriter writer = new StunWriter();
    private byte[] software;

    /** Adds a SOFTWARE attribute (first in every message) with this description; null removes it. */
    public StunBindingWriter software(String description) {
        this.software = description == null ? null : description.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /** Padding byte for attributes whose length is not a multiple of 4 (default 0). */
    public StunBindingWriter paddingByte(int value) {
        writer.paddingByte(value);
        return this;
    }

    /**
     * Binding success response (RFC 8445 section 7.3.1.4): XOR-MAPPED-ADDRESS of the source the request came from,
     * MESSAGE-INTEGRITY keyed with our own password, FINGERPRINT.
     */
    public int successResponse(byte[] out, int off, byte[] transactionId, InetSocketAddress mappedAddress,
            byte[] key) {
        begin(out, off, StunMessageType.BINDING_SUCCESS_RESPONSE, transactionId);
        writer.addXorAddress(StunAttributeType.XOR_MAPPED_ADDRESS, mappedAddress);
        writer.addMessageIntegrity(key);
        writer.addFingerprint();
        return writer.finish();
    }

    public byte[] successResponse(byte[] transactionId, InetSocketAddress mappedAddress, byte[] key) {
        byte[] scratch = new byte[SCRATCH_SIZE];
        return trimmed(scratch, successResponse(scratch, 0, transactionId, mappedAddress, key));
    }

    /**
     * Binding error response with ERROR-CODE. Pass the key for errors answering an authenticated request (487 Role
     * Conflict); pass null for 400 and 401, which RFC 8489 section 9.1.3 sends without MESSAGE-INTEGRITY.
     */
    public int errorResponse(byte[] out, int off, byte[] transactionId, StunError error, byte[] keyOrNull) {
        begin(out, off, StunMessageType.BINDING_ERROR_RESPONSE, transactionId);
        writer.addErrorCode(error.code(), error.reason());
        if (keyOrNull != null) {
            writer.addMessageIntegrity(keyOrNull);
        }
        writer.addFingerprint();
        return writer.finish();
    }

    public byte[] errorResponse(byte[] transactionId, StunError error, byte[] keyOrNull) {
        byte[] scratch = new byte[SCRATCH_SIZE];
        return trimmed(scratch, errorResponse(scratch, 0, transactionId, error, keyOrNull));
    }

    /**
     * Binding request carrying a connectivity check: PRIORITY, ICE-CONTROLLING or ICE-CONTROLLED, USE-CANDIDATE if
     * asked, USERNAME, MESSAGE-INTEGRITY keyed with the remote agent's password, FINGERPRINT. The attribute order is
     * that of RFC 5769 section 2.1.
     */
    public int request(byte[] out, int off, byte[] transactionId, IceCheck check, byte[] remoteKey) {
        begin(out, off, StunMessageType.BINDING_REQUEST, transactionId);
        writer.addUint32(StunAttributeType.PRIORITY, check.priority());
        writer.addUint64(check.role().attributeType(), check.tieBreaker());
        if (check.useCandidate()) {
            writer.addEmpty(StunAttributeType.USE_CANDIDATE);
        }
        writer.addString(StunAttributeType.USERNAME, check.username());
        writer.addMessageIntegrity(remoteKey);
        writer.addFingerprint();
        return writer.finish();
    }

    public byte[] request(byte[] transactionId, IceCheck check, byte[] remoteKey) {
        byte[] scratch = new byte[SCRATCH_SIZE];
        return trimmed(scratch, request(scratch, 0, transactionId, check, remoteKey));
    }

    private void begin(byte[] out, int off, int messageType, byte[] transactionId) {
        writer.begin(out, off, out.length - off, messageType, transactionId);
        if (software != null) {
            writer.addBytes(StunAttributeType.SOFTWARE, software, 0, software.length);
        }
    }

    private static byte[] trimmed(byte[] scratch, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("message larger than " + SCRATCH_SIZE + " bytes");
        }
        return Arrays.copyOf(scratch, length);
    }
}
