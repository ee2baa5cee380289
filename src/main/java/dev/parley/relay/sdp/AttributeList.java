package dev.parley.relay.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/** The a= lines of one section, in order. Not thread-safe. */
public final class AttributeList implements Iterable<Attribute> {

    private final List<Attribute> attributes = new ArrayList<>();

    public List<Attribute> asList() {
        return Collections.unmodifiableList(attributes);
    }

    @Override
    public Iterator<Attribute> iterator() {
        return asList().iterator();
    }

    public int size() {
        return attributes.size();
    }

    public void add(Attribute attribute) {
        attributes.add(Objects.requireNonNull(attribute, "attribute"));
    }

    public void add(String name, String value) {
        add(new Attribute(name, value));
    }

    public void addFlag(String name) {
        add(Attribute.flag(name));
    }

    public boolean has(String name) {
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    public Optional<Attribute> first(String name) {
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The value of the first attribute named {@code name} (empty when absent or when it has no value). */
    public Optional<String> value(String name) {
        return first(name).map(Attribute::value);
    }

    /** The values of every attribute named {@code name}, in order, skipping those without a value. */
    public List<String> values(String name) {
        List<String> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.name().equals(name) && a.value() != null) {
                out.add(a.value());
            }
        }
        return out;
    }

    /** Replaces the first attribute named {@code name} in place and removes the others, or appends one. */
    public void set(String name, String value) {
        replace(a -> a.name().equals(name), new Attribute(name, value));
    }

    public void setFlag(String name, boolean present) {
        if (present) {
            if (!has(name)) {
                addFlag(name);
            }
        } else {
            removeAll(name);
        }
    }

    /** Puts {@code replacement} where the first match was (or at the end) and removes every other match. */
    public void replace(Predicate<Attribute> match, Attribute replacement) {
        Objects.requireNonNull(replacement, "replacement");
        int at = -1;
        for (int i = 0; i < attributes.size(); i++) {
            if (match.test(attributes.get(i))) {
                at = i;
                break;
            }
        }
        attributes.removeIf(match);
        if (at < 0 || at > attributes.size()) {
            attributes.add(replacement);
        } else {
            attributes.add(at, replacement);
        }
    }

    public int removeAll(String name) {
        int before = attributes.size();
        attributes.removeIf(a -> a.name().equals(name));
        return before - attributes.size();
    }

    public boolean removeIf(Predicate<Attribute> filter) {
        return attributes.removeIf(filter);
    }
}
