package dev.parley.common;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Text that people read as it is: no control characters (a multi-line text may have line breaks and tabs, as pasted agendas do), no bidirectional
 * overrides, embeddings or isolates (which make "gpj.exe" read as "exe.jpg"), no half of a surrogate pair (JSON's
 * "\ud800" makes one, which UTF-8 cannot carry), and, unless it is blank, at least one visible character, so
 * zero-width characters alone cannot pass for a name. Null and blank are left to @NotBlank.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = VisibleText.Validator.class)
public @interface VisibleText {

    String message() default "{text.notVisible}";

    /** Whether line breaks (CR, LF) and tabs are allowed, as in a description. */
    boolean multiLine() default false;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<VisibleText, String> {

        private boolean multiLine;

        @Override
        public void initialize(VisibleText annotation) {
            multiLine = annotation.multiLine();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return accepts(value, multiLine);
        }

        /** The rule itself, for text that does not arrive through a validated form. */
        public static boolean accepts(String value, boolean multiLine) {
            if (value == null || value.isBlank()) {
                return true;
            }
            boolean visible = false;
            for (int i = 0; i < value.length(); ) {
                int c = value.codePointAt(i);
                i += Character.charCount(c);
                if (Character.isISOControl(c) ? !(multiLine && (c == '\n' || c == '\r' || c == '\t')) : isBidiControl(c)) {
                    return false;
                }
                if (Character.getType(c) == Character.SURROGATE) {
                    return false; // half of a pair: no character at all, and no encoding can send it on
                }
                visible |= isVisible(c);
            }
            return visible;
        }

        /** LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI; the plain marks (LRM, RLM, ALM) stay allowed. */
        private static boolean isBidiControl(int c) {
            return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
        }

        private static boolean isVisible(int c) {
            return switch (Character.getType(c)) {
                case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                     Character.CONTROL, Character.FORMAT, Character.NON_SPACING_MARK, Character.ENCLOSING_MARK,
                     Character.COMBINING_SPACING_MARK, Character.UNASSIGNED, Character.SURROGATE -> false;
                // Letters and symbols that render as nothing: Hangul fillers, the blank Braille pattern.
                default -> c != 0x115F && c != 0x1160 && c != 0x3164 && c != 0xFFA0 && c != 0x2800;
            };
        }
    }
}
