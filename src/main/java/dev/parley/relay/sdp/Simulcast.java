package dev.parley.relay.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * The a=simulcast attribute (RFC 8853), e.g. {@code send h;m;l} or {@code recv f;~h}. Each side is a list of
 * streams; each stream is a list of alternative rids (usually one).
 */
public record Simulcast(List<List<SimulcastStream>> send, List<List<SimulcastStream>> recv) {

    public Simulcast {
        send = copy(send);
        recv = copy(recv);
        if (send.isEmpty() && recv.isEmpty()) {
            throw new IllegalArgumentException("simulcast needs a send or a recv list");
        }
    }

    /** A simulcast attribute with one direction and one rid per stream, none paused. */
    public static Simulcast of(RidDirection direction, List<String> rids) {
        List<List<SimulcastStream>> streams = new ArrayList<>();
        for (String rid : rids) {
            streams.add(List.of(new SimulcastStream(rid, false)));
        }
        return direction == RidDirection.SEND ? new Simulcast(streams, List.of()) : new Simulcast(List.of(), streams);
    }

    /** The first alternative of each send stream, in order. */
    public List<String> sendRids() {
        return firstRids(send);
    }

    /** The first alternative of each recv stream, in order. */
    public List<String> recvRids() {
        return firstRids(recv);
    }

    /** The same streams with send and recv swapped, as an answer carries them. */
    public Simulcast reverse() {
        return new Simulcast(recv, send);
    }

    static Simulcast parse(String value) {
        List<String> w = Syntax.words(value);
        if (w.size() != 2 && w.size() != 4) {
            throw new IllegalArgumentException("simulcast needs send|recv <streams> [send|recv <streams>]");
        }
        List<List<SimulcastStream>> send = List.of();
        List<List<SimulcastStream>> recv = List.of();
        for (int i = 0; i < w.size(); i += 2) {
            RidDirection d = RidDirection.parse(w.get(i));
            List<List<SimulcastStream>> streams = parseStreams(w.get(i + 1));
            if (d == RidDirection.SEND) {
                if (!send.isEmpty()) {
                    throw new IllegalArgumentException("simulcast has two send lists");
                }
                send = streams;
            } else {
                if (!recv.isEmpty()) {
                    throw new IllegalArgumentException("simulcast has two recv lists");
                }
                recv = streams;
            }
        }
        return new Simulcast(send, recv);
    }

    String format() {
        StringBuilder sb = new StringBuilder();
        if (!send.isEmpty()) {
            sb.append("send ").append(formatStreams(send));
        }
        if (!recv.isEmpty()) {
            sb.append(sb.length() == 0 ? "" : " ").append("recv ").append(formatStreams(recv));
        }
        return sb.toString();
    }

    private static List<List<SimulcastStream>> parseStreams(String list) {
        List<List<SimulcastStream>> streams = new ArrayList<>();
        for (String alternatives : list.split(";", -1)) {
            List<SimulcastStream> stream = new ArrayList<>();
            for (String id : alternatives.split(",", -1)) {
                boolean paused = id.startsWith("~");
                stream.add(new SimulcastStream(paused ? id.substring(1) : id, paused));
            }
            streams.add(stream);
        }
        return streams;
    }

    private static String formatStreams(List<List<SimulcastStream>> streams) {
        StringBuilder sb = new StringBuilder();
        for (List<SimulcastStream> stream : streams) {
            sb.append(sb.length() == 0 ? "" : ";");
            for (int i = 0; i < stream.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(stream.get(i).format());
            }
        }
        return sb.toString();
    }

    private static List<List<SimulcastStream>> copy(List<List<SimulcastStream>> streams) {
        List<List<SimulcastStream>> out = new ArrayList<>();
        for (List<SimulcastStream> stream : streams) {
            if (stream.isEmpty()) {
                throw new IllegalArgumentException("simulcast stream without a rid");
            }
            out.add(List.copyOf(stream));
        }
        return List.copyOf(out);
    }

    private static List<String> firstRids(List<List<SimulcastStream>> streams) {
        List<String> out = new ArrayList<>();
        for (List<SimulcastStream> stream : streams) {
            out.add(stream.get(0).rid());
        }
        return out;
    }
}
