package dev.parley.relay.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole session description: the session-level lines and attributes, and the media sections in order.
 * Mutable, not thread-safe. Parse one with {@link SdpParser#parse}, write one with {@link SdpWriter#write}.
 */
public final class SessionDescription extends SdpSection {

    private Origin origin;
    private String sessionName = "-";
    private String uri;
    private final List<String> emails = new ArrayList<>();
    private final List<String> phones = new ArrayList<>();
    private final List<Timing> timings = new ArrayList<>(List.of(Timing.UNBOUNDED));
    private String zoneAdjustments;
    private final List<MediaDescription> media = new ArrayList<>();

    /** A description with {@code s=-} and {@code t=0 0}, as JSEP writes them. */
    public SessionDescription(Origin origin) {
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    /** The v= line: always 0. */
    public int version() {
        return 0;
    }

    public Origin origin() {
        return origin;
    }

    public void setOrigin(Origin origin) {
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    /** The s= line ({@code -} in WebRTC). */
    public String sessionName() {
        return sessionName;
    }

    public void setSessionName(String name) {
        sessionName = Syntax.text(name, "s= value");
    }

    public Optional<String> uri() {
        return Optional.ofNullable(uri);
    }

    public void setUri(String text) {
        uri = Syntax.optionalText(text, "u= value");
    }

    public List<String> emails() {
        return Collections.unmodifiableList(emails);
    }

    public void addEmail(String text) {
        emails.add(Syntax.text(text, "e= value"));
    }

    public List<String> phones() {
        return Collections.unmodifiableList(phones);
    }

    public void addPhone(String text) {
        phones.add(Syntax.text(text, "p= value"));
    }

    /** The t= lines with their r= lines; never empty. */
    public List<Timing> timings() {
        return Collections.unmodifiableList(timings);
    }

    public void setTimings(List<Timing> list) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("a session description needs at least one t= line");
        }
        List<Timing> copy = List.copyOf(list);
        timings.clear();
        timings.addAll(copy);
    }

    /** The z= line kept raw, or empty. */
    public Optional<String> zoneAdjustments() {
        return Optional.ofNullable(zoneAdjustments);
    }

    public void setZoneAdjustments(String text) {
        zoneAdjustments = Syntax.optionalText(text, "z= value");
    }

    // ---- media sections

    public List<MediaDescription> media() {
        return Collections.unmodifiableList(media);
    }

    public void addMedia(MediaDescription m) {
        media.add(Objects.requireNonNull(m, "media"));
    }

    public void setMedia(int index, MediaDescription m) {
        media.set(index, Objects.requireNonNull(m, "media"));
    }

    public Optional<MediaDescription> mediaByMid(String mid) {
        for (MediaDescription m : media) {
            if (m.mid().filter(mid::equals).isPresent()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The values of {@code m} after falling back to this session level where {@code m} has none. */
    public EffectiveMedia effective(MediaDescription m) {
        return new EffectiveMedia(this, m);
    }

    // ---- session-level attributes

    public List<Group> groups() {
        List<Group> out = new ArrayList<>();
        for (String v : attributes().values("group")) {
            out.add(Group.parse(v));
        }
        return out;
    }

    public Optional<Group> bundleGroup() {
        for (Group g : groups()) {
            if (g.semantics().equals(Group.BUNDLE)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** The mids of a=group:BUNDLE (the first is the tagged one); empty when there is no BUNDLE group. */
    public List<String> bundleMids() {
        return bundleGroup().map(Group::mids).orElse(List.of());
    }

    /** Replaces the a=group:BUNDLE line, keeping its position. */
    public void setBundle(List<String> mids) {
        Attribute bundle = new Attribute("group", new Group(Group.BUNDLE, mids).format());
        attributes().replace(a -> a.name().equals("group") && Group.parse(a.value()).semantics().equals(Group.BUNDLE),
                bundle);
    }

    public void addGroup(Group group) {
        attributes().add("group", group.format());
    }

    /** a=ice-lite: this side only answers connectivity checks (RFC 8445 section 2.5). */
    public boolean iceLite() {
        return attributes().has("ice-lite");
    }

    public void setIceLite(boolean lite) {
        attributes().setFlag("ice-lite", lite);
    }

    public Optional<MsidSemantic> msidSemantic() {
        return attributes().value("msid-semantic").map(MsidSemantic::parse);
    }

    public void setMsidSemantic(MsidSemantic semantic) {
        attributes().set("msid-semantic", semantic.format());
    }
}
