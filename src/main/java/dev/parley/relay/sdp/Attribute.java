package dev.parley.relay.sdp;

/**
 * One a= line: {@code a=<name>} (a property attribute, value null) or {@code a=<name>:<value>} (value kept exactly
 * as written). Construction checks the value of every attribute this package understands, so an attribute that
 * exists is always readable by the typed accessors.
 */
public record Attribute(String name, String value) {

    public Attribute {
        Syntax.token(name, "attribute name");
        if (value != null) {
            Syntax.text(value, "attribute value");
        }
        AttributeSyntax.check(name, value);
    }

    public static Attribute flag(String name) {
        return new Attribute(name, null);
    }

    /** Parses the text after {@code a=}. */
    static Attribute parse(String text) {
        int colon = text.indexOf(':');
        return colon < 0 ? new Attribute(text, null) : new Attribute(text.substring(0, colon), text.substring(colon + 1));
    }

    String format() {
        return value == null ? name : name + ':' + value;
    }
}
