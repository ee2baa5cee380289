package dev.parley.relay.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the session level and a media section share: i=, c=, b=, k=, unknown lines, and the a= lines with typed
 * accessors for the attributes that may appear at either level. Typed accessors read the attribute list each time,
 * so they always agree with it; the first occurrence wins where only one is meaningful.
 */
public abstract class SdpSection {

    private static final String KNOWN_TYPES = "vosiuepcbtrzkam";

    private final AttributeList attributes = new AttributeList();
    private final List<Bandwidth> bandwidths = new ArrayList<>();
    private final List<String> unknownLines = new ArrayList<>();
    private String information;
    private Connection connection;
    private String encryptionKey;

    SdpSection() {
    }

    public AttributeList attributes() {
        return attributes;
    }

    // ---- i=, c=, b=, k=, unknown lines

    /** The i= line, or empty. */
    public Optional<String> information() {
        return Optional.ofNullable(information);
    }

    public void setInformation(String text) {
        information = Syntax.optionalText(text, "i= value");
    }

    /** The c= line of this section (without fallback; see {@link EffectiveMedia#connection()}). */
    public Optional<Connection> connection() {
        return Optional.ofNullable(connection);
    }

    public void setConnection(Connection c) {
        connection = c;
    }

    public List<Bandwidth> bandwidths() {
        return Collections.unmodifiableList(bandwidths);
    }

    public void addBandwidth(Bandwidth b) {
        bandwidths.add(Objects.requireNonNull(b, "bandwidth"));
    }

    public void clearBandwidths() {
        bandwidths.clear();
    }

    /** The k= line (obsolete, kept for round trips), or empty. */
    public Optional<String> encryptionKey() {
        return Optional.ofNullable(encryptionKey);
    }

    public void setEncryptionKey(String text) {
        encryptionKey = Syntax.optionalText(text, "k= value");
    }

    /** Lines whose type letter this package does not know, kept whole (e.g. {@code x=foo}) and written back. */
    public List<String> unknownLines() {
        return Collections.unmodifiableList(unknownLines);
    }

    public void addUnknownLine(String line) {
        Syntax.text(line, "unknown line");
        if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z'
                || KNOWN_TYPES.indexOf(line.charAt(0)) >= 0) {
            throw new IllegalArgumentException("'" + line + "' is not a line of an unknown type");
        }
        unknownLines.add(line);
    }

    // ---- attributes allowed at both levels

    public Optional<String> iceUfrag() {
        return attributes.value("ice-ufrag").map(Syntax::trimSpaces);
    }

    public Optional<String> icePwd() {
        return attributes.value("ice-pwd").map(Syntax::trimSpaces);
    }

    /** Sets a=ice-ufrag and a=ice-pwd, replacing any present. */
    public void setIceCredentials(String ufrag, String pwd) {
        Attribute u = new Attribute("ice-ufrag", ufrag);
        Attribute p = new Attribute("ice-pwd", pwd);
        attributes.replace(a -> a.name().equals("ice-ufrag"), u);
        attributes.replace(a -> a.name().equals("ice-pwd"), p);
    }

    /** The option tags of the first a=ice-options (e.g. trickle, ice2, renomination); empty when absent. */
    public List<String> iceOptions() {
        return attributes.value("ice-options").map(IceOptions::parse).orElse(List.of());
    }

    public void setIceOptions(List<String> options) {
        if (options.isEmpty()) {
            attributes.removeAll("ice-options");
        } else {
            attributes.set("ice-options", IceOptions.format(options));
        }
    }

    public List<Fingerprint> fingerprints() {
        List<Fingerprint> out = new ArrayList<>();
        for (String v : attributes.values("fingerprint")) {
            out.add(Fingerprint.parse(v));
        }
        return out;
    }

    public Optional<Fingerprint> fingerprint() {
        return attributes.value("fingerprint").map(Fingerprint::parse);
    }

    /** Replaces every a=fingerprint with this one. */
    public void setFingerprint(Fingerprint fp) {
        attributes.set("fingerprint", fp.format());
    }

    public void addFingerprint(Fingerprint fp) {
        attributes.add("fingerprint", fp.format());
    }

    public Optional<Setup> setup() {
        return attributes.value("setup").map(Setup::parse);
    }

    public void setSetup(Setup setup) {
        attributes.set("setup", setup.value());
    }

    /** The first of a=sendrecv/sendonly/recvonly/inactive in this section, without any default. */
    public Optional<Direction> directionAttribute() {
        for (Attribute a : attributes) {
            Optional<Direction> d = Direction.fromAttributeName(a.name());
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    /** Replaces any direction attribute with this one, keeping its position. */
    public void setDirection(Direction direction) {
        attributes.replace(a -> Direction.fromAttributeName(a.name()).isPresent(),
                Attribute.flag(direction.attributeName()));
    }

    public List<HeaderExtension> extmaps() {
        List<HeaderExtension> out = new ArrayList<>();
        for (String v : attributes.values("extmap")) {
            out.add(HeaderExtension.parse(v));
        }
        return out;
    }

    public Optional<HeaderExtension> extmap(String uri) {
        for (HeaderExtension e : extmaps()) {
            if (e.uri().equals(uri)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    public void addExtmap(HeaderExtension extension) {
        attributes.add("extmap", extension.format());
    }

    /** a=extmap-allow-mixed (RFC 8285 section 6): one- and two-byte header extensions may be mixed. */
    public boolean extmapAllowMixed() {
        return attributes.has("extmap-allow-mixed");
    }

    public void setExtmapAllowMixed(boolean allowed) {
        attributes.setFlag("extmap-allow-mixed", allowed);
    }
}
