package dev.parley.testing;

import com.fasterxml.jackson.databind.JsonNode;

/** Readings of one statistics line of the browser script (src/test/browsers/join.mjs). */
public final class MeetingStats {

    private MeetingStats() {
    }

    /** The first tile on the page that is not the participant's own, or "" when there is none. */
    public static String otherTile(JsonNode stats) {
        String self = stats.path("participantId").asText();
        for (JsonNode tile : stats.path("tiles")) {
            if (!tile.asText().equals(self)) {
                return tile.asText();
            }
        }
        return "";
    }

    /** Video frames decoded so far of that participant (0 before any). */
    public static double framesDecoded(JsonNode stats, String participantId) {
        return stats.path("inbound").path(participantId).path("framesDecoded").asDouble();
    }
}
