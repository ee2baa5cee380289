package dev.parley.meeting;

import dev.parley.meeting.CascadeMessages.AnswerCall;
import dev.parley.meeting.CascadeMessages.CloseCall;
import dev.parley.meeting.CascadeMessages.EventCall;
import dev.parley.meeting.CascadeMessages.OfferBody;
import dev.parley.meeting.CascadeMessages.OpenAnswer;
import dev.parley.meeting.CascadeMessages.OpenCall;
import dev.parley.meeting.CascadeMessages.Refused;
import dev.parley.meeting.CascadeMessages.ShareCall;
import dev.parley.meeting.CascadeMessages.TilesCall;
import dev.parley.relay.Offer;
import dev.parley.relay.Relay;
import dev.parley.relay.RelayException;
import dev.parley.relay.TransportEvents;
import dev.parley.relay.TransportHandle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * A media node's side of cascading: the relay calls a meeting's home node makes here for its browsers' transports
 * (open, answer, tile sizes, screen share, close), and their events sent back to the home, numbered so that it can
 * put them in order, each tried until the home answers (a few times). When the last of a home's transports here for a
 * meeting ends, this side of the meeting's link ends too.
 */
@Component
class MediaNodeHandlers {

    private static final long RELAY_SECONDS = 5;
    /** Times an event is sent before the home is taken to be gone. */
    private static final int EVENT_ATTEMPTS = 3;

    private final Relay relay;
    private final CascadeCalls calls;
    private final CascadeLinks links;
    /** Open transports here by the home and room they are for ("home room"); its lock orders opens and leaving. */
    private final Map<String, Integer> open = new HashMap<>();

    MediaNodeHandlers(Relay relay, CascadeCalls calls, CascadeLinks links) {
        this.relay = relay;
        this.calls = calls;
        this.links = links;
        calls.answer(CascadeMessages.OPEN, OpenCall.class, this::onOpen);
        calls.answer(CascadeMessages.ANSWER, AnswerCall.class, this::onAnswer);
        calls.answer(CascadeMessages.TILES, TilesCall.class, this::onTiles);
        calls.answer(CascadeMessages.SHARE, ShareCall.class, this::onShare);
        calls.answer(CascadeMessages.CLOSE, CloseCall.class, this::onClose);
    }

    /** Browsers whose media this node carries for meetings homed elsewhere. */
    int carried() {
        synchronized (open) {
            return open.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private OpenAnswer onOpen(OpenCall call) {
        synchronized (open) {
            if (!links.isLinked(call.room(), call.home())) {
                return new OpenAnswer(null, CascadeMessages.NOT_LINKED);
            }
            open.merge(key(call.home(), call.room()), 1, Integer::sum);
        }
        Sequenced events = new Sequenced(call);
        try {
            TransportHandle transport = relay.openBrowser(call.room(), call.participant(), call.screenShare(), events)
                    .get(RELAY_SECONDS, TimeUnit.SECONDS);
            return new OpenAnswer(transport.id(), null);
        } catch (Exception e) {
            events.release();
            return new OpenAnswer(null, e.getCause() instanceof RelayException refused ? refused.getMessage()
                    : "the relay did not open the transport");
        }
    }

    private Refused onAnswer(AnswerCall call) {
        try {
            relay.applyAnswer(byId(call.transport()), call.version(), call.sdp()).get(RELAY_SECONDS, TimeUnit.SECONDS);
            return new Refused(null, null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RelayException refused) {
                return new Refused(refused.code(), refused.getMessage());
            }
            return new Refused("internal", "The media node could not apply the answer.");
        } catch (Exception e) {
            return new Refused("internal", "The media node could not apply the answer.");
        }
    }

    private Object onTiles(TilesCall call) {
        relay.setTileSizes(byId(call.transport()), call.sizes(), call.version() == null ? -1 : call.version());
        return null;
    }

    private Object onShare(ShareCall call) {
        relay.allowScreenShare(byId(call.transport()), call.allowed());
        return null;
    }

    private Object onClose(CloseCall call) {
        relay.closeTransport(byId(call.transport()), call.reason());
        return null;
    }

    /** The relay finds a transport by its id alone. */
    private static TransportHandle byId(String transportId) {
        return new TransportHandle(transportId, TransportHandle.Kind.BROWSER, "");
    }

    /**
     * A transport of the home's for the room ended here. With its last one, this side of the meeting's link goes too,
     * unless the home opened another here meanwhile (decided under the same lock as {@link #onOpen}).
     */
    private void closed(String home, String room) {
        String key = key(home, room);
        boolean last;
        synchronized (open) {
            last = open.merge(key, -1, Integer::sum) <= 0;
            if (last) {
                open.remove(key);
            }
        }
        if (last) {
            calls.submit(home, () -> {
                synchronized (open) {
                    if (!open.containsKey(key)) {
                        links.homeLeft(room, home);
                    }
                }
            });
        }
    }

    private static String key(String home, String room) {
        return home + " " + room;
    }

    /** One transport's events for its home, numbered on the relay loop, sent in order on the home's thread. */
    private final class Sequenced implements TransportEvents {

        private final OpenCall opened;
        private int next;
        private boolean released;

        Sequenced(OpenCall opened) {
            this.opened = opened;
        }

        private void send(String type, TransportHandle transport, Offer offer, String reason) {
            send(type, transport, offer, reason, null);
        }

        private synchronized void send(String type, TransportHandle transport, Offer offer, String reason,
                                       List<String> mids) {
            int sequence = next++;
            calls.submit(opened.home(), () -> {
                // The SDP is written here, off the relay loop.
                OfferBody body = offer == null ? null : new OfferBody(offer.version(), offer.sdp(),
                        offer.publishAudioMid(), offer.publishVideoMid(), offer.publishScreenMid(), offer.tracks());
                EventCall event = new EventCall(opened.ref(), sequence, type,
                        transport == null ? null : transport.id(), body, reason, mids);
                for (int attempt = 0; attempt < EVENT_ATTEMPTS; attempt++) {
                    if (calls.reached(opened.home(), CascadeMessages.EVENT, event, true)) {
                        return;
                    }
                }
            });
        }

        /** This transport counts no more toward its home's in the room; once. */
        synchronized void release() {
            if (!released) {
                released = true;
                closed(opened.home(), opened.room());
            }
        }

        @Override
        public void onCreated(TransportHandle transport) {
            send("created", transport, null, null);
        }

        @Override
        public void onOffer(Offer offer) {
            send("offer", null, offer, null);
        }

        @Override
        public void onConnected() {
            send("connected", null, null, null);
        }

        @Override
        public void onPausedVideo(List<String> mids) {
            send("paused-video", null, null, null, mids);
        }

        @Override
        public void onClosed(String reason) {
            send("closed", null, null, reason);
            release();
        }
    }
}
