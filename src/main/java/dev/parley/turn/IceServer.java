package dev.parley.turn;

import java.util.List;

/**
 * One entry of {@code RTCConfiguration.iceServers} as the page passes it to {@code RTCPeerConnection}: the TURN URLs
 * and one short-lived credential for them.
 */
public record IceServer(List<String> urls, String username, String credential) {
    @Override
    public String toString() {
        return "IceServer[" + urls + ", " + username + "]"; // never the credential
    }
}
