package dev.parley.accounts;

import dev.parley.common.UserFacingException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import me.gosimple.nbvcxz.Nbvcxz;
import me.gosimple.nbvcxz.resources.ConfigurationBuilder;
import me.gosimple.nbvcxz.scoring.Result;
import org.springframework.stereotype.Component;

/**
 * Password strength: a length range plus nbvcxz's entropy estimate (dictionaries, keyboard patterns, dates, leet),
 * so "Password123!" fails while a long passphrase passes. Feedback comes in the viewer's language where nbvcxz has it.
 */
@Component
public class PasswordPolicy {

    public static final int MIN_LENGTH = 10;
    /** Argon2 takes any length; the bound keeps hashing cheap for the server. */
    public static final int MAX_LENGTH = 128;
    private static final double MIN_ENTROPY_BITS = 35d;

    private final Map<Locale, Nbvcxz> estimators = new ConcurrentHashMap<>();

    /** Throws a field error on "newPassword" when the password is too weak; the inputs are the user's own details. */
    public void check(String password, Locale locale, String... userInputs) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw new UserFacingException("newPassword", "password.tooShort", MIN_LENGTH);
        }
        if (password.length() > MAX_LENGTH) {
            throw new UserFacingException("newPassword", "password.tooLong", MAX_LENGTH);
        }
        String lower = password.toLowerCase(Locale.ROOT);
        for (String input : userInputs) {
            if (input == null) {
                continue;
            }
            String local = input.toLowerCase(Locale.ROOT).split("@", 2)[0];
            if (local.length() >= 4 && lower.contains(local)) {
                throw new UserFacingException("newPassword", "password.containsPersonalData");
            }
        }
        Result result = estimator(locale).estimate(password);
        if (!result.isMinimumEntropyMet()) {
            String hint = result.getFeedback().getSuggestion().stream().findFirst().orElse("");
            String warning = result.getFeedback().getWarning();
            throw new UserFacingException("newPassword", "password.tooWeak",
                    ((warning == null ? "" : warning + " ") + hint).strip());
        }
    }

    private Nbvcxz estimator(Locale locale) {
        Locale language = Locale.forLanguageTag(locale == null ? "en" : locale.getLanguage());
        return estimators.computeIfAbsent(language, l -> new Nbvcxz(new ConfigurationBuilder()
                .setLocale(l)
                .setMinimumEntropy(MIN_ENTROPY_BITS)
                .setMaxLength(MAX_LENGTH)
                .createConfiguration()));
    }
}
