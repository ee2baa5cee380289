package dev.parley.rooms;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param joinEarly how long before the start people may join
 * @param joinLateGrace how long after the scheduled end the room stays open (meetings overrun)
 * @param publicUrl the base URL put into invitations; empty means "the URL this request came in on"
 */
@ConfigurationProperties(prefix = "parley.rooms")
public record RoomProperties(@DefaultValue("10m") Duration joinEarly,
                             @DefaultValue("1h") Duration joinLateGrace,
                             @DefaultValue("") String publicUrl) {
}
