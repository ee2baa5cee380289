package dev.parley.relay.sdp;

/** One rid in an a=simulcast list; {@code paused} is the '~' prefix of RFC 8853. */
public record SimulcastStream(String rid, boolean paused) {

    public SimulcastStream {
        Rid.checkId(rid);
    }

    String format() {
        return paused ? "~" + rid : rid;
    }
}
