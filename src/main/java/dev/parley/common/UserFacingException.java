package dev.parley.common;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule was broken in a way the user can fix or should be told about. Carries a message-bundle key (and arguments)
 * rather than text, so that the page shows it in the viewer's language; optionally names the form field at fault.
 * One exception may carry several problems ({@link #checkAll}), so that a form shows all of them after one submit.
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

    /** Every problem this exception reports: itself, or the several that {@link #checkAll} found. */
    public List<UserFacingException> problems() {
        return List.of(this);
    }

    /** Runs every rule, then throws what they found together (nothing when all passed). */
    public static void checkAll(Runnable... rules) {
        List<UserFacingException> found = new ArrayList<>();
        for (Runnable rule : rules) {
            try {
                rule.run();
            } catch (UserFacingException e) {
                found.addAll(e.problems());
            }
        }
        if (found.size() == 1) {
            throw found.get(0);
        }
        if (!found.isEmpty()) {
            throw new Several(found);
        }
    }

    /** Several problems at once; shown as a whole (outside a form) it reads as its first. */
    private static final class Several extends UserFacingException {

        private final transient List<UserFacingException> problems;

        Several(List<UserFacingException> problems) {
            super(problems.get(0).field(), problems.get(0).messageKey(), problems.get(0).arguments());
            this.problems = List.copyOf(problems);
        }

        @Override
        public List<UserFacingException> problems() {
            return problems;
        }
    }
}
