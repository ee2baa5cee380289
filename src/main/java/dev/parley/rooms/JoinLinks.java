package dev.parley.rooms;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The public address of a room: the configured public URL, or the one this request arrived on. */
@Component
public class JoinLinks {

    private final RoomProperties properties;

    public JoinLinks(RoomProperties properties) {
        this.properties = properties;
    }

    public String of(Room room) {
        return base() + "/r/" + room.getSlug();
    }

    public String base() {
        String configured = properties.publicUrl();
        if (configured != null && !configured.isBlank()) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
    }
}
