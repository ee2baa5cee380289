package dev.parley.meeting;

import dev.parley.relay.TransportHandle;
import org.springframework.stereotype.Service;

/**
 * Screen sharing in a meeting (docs/signaling.md, section 7): who shares now, at most {@link #MAX_PER_ROOM} at once in
 * a room, and the relay told to take each share (and to drop it when it stops). A browser cannot publish a share the
 * server did not allow: the relay ignores its screen section until then.
 */
@Service
public class ScreenShares {

    /** Screen shares a room carries at once: each is one stream of up to 2.5 Mbit/s to everyone in it. */
    public static final int MAX_PER_ROOM = 3;

    private final MediaNodes media;

    public ScreenShares(MediaNodes media) {
        this.media = media;
    }

    /**
     * The participant starts or stops sharing. Starting beyond the room's limit is refused with too-many-shares;
     * stopping what is not shared, or starting again, changes nothing.
     */
    public void share(LiveRoom live, Participant participant, boolean active) {
        if (participant.kind() != Participant.Kind.BROWSER) {
            throw new Refusal("forbidden", "Only browsers share their screens.");
        }
        synchronized (live) {
            if (active && !participant.isSharingScreen()) {
                long sharing = live.participants().stream().filter(Participant::isSharingScreen).count();
                if (sharing >= MAX_PER_ROOM) {
                    throw new Refusal("too-many-shares",
                            "At most " + MAX_PER_ROOM + " people share their screens at once in a meeting.");
                }
            }
            // Set before the transport is read: a transport opened meanwhile (after a resume) reads the flag once
            // it is known (MeetingService.attach), so one of the two tells the relay.
            participant.setSharingScreen(active);
        }
        TransportHandle transport = participant.transport();
        if (transport != null) {
            media.allowScreenShare(transport, active);
        }
    }
}
