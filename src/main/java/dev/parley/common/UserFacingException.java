package dev.parley.common;

/**
 * A rule was broken in a way the user can fix or should be told about. Carries a message-bundle key (and arguments)
 * rather than text, so that the page shows it in the viewer's language; optionally names the form field at fault.
 */
public class UserFacingException extends RuntimeException {

    private final String messageKey;
    private final transient Object[] arguments;
    private final String field;

    public UserFacingException(String messageKey, Object... arguments) {
        this(null, messageKey, arguments);
    }

    public UserFacingException(String field, String messageKey, Object... arguments) {
        super(messageKey);
        this.field = field;
        this.messageKey = messageKey;
        this.arguments = arguments;
    }

    public String messageKey() {
        return messageKey;
    }

    public Object[] arguments() {
        return arguments;
    }

    /** The form field at fault, or null when the problem concerns the whole form. */
    public String field() {
        return field;
    }
}
