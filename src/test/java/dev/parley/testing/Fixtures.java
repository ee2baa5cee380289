package dev.parley.testing;

import dev.parley.accounts.AccountService;
import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import java.time.ZoneId;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Creates accounts for tests through the real service, with unique addresses so tests sharing a context never clash,
 * and signs them in through the login form of the running application (a {@link ParleyWebTest}).
 */
@Component
public class Fixtures {

    public static final String PASSWORD = "Tangerine-Lighthouse-93";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final AccountService accounts;
    private final Environment environment;

    public Fixtures(AccountService accounts, Environment environment) {
        this.accounts = accounts;
        this.environment = environment;
    }

    public UserAccount user(Role role) {
        return user(role, role.name().toLowerCase(Locale.ROOT));
    }

    public UserAccount user(Role role, String prefix) {
        int n = SEQUENCE.incrementAndGet();
        String email = prefix + "-" + n + "-" + System.nanoTime() % 100000 + "@parley.test";
        return accounts.create(email, capitalise(prefix) + " " + n, PASSWORD, role, Locale.ENGLISH);
    }

    /** A new account with this role, signed in. */
    public SignedIn signedIn(Role role) {
        return signedIn(role, role.name().toLowerCase(Locale.ROOT));
    }

    public SignedIn signedIn(Role role, String prefix) {
        UserAccount account = user(role, prefix);
        return new SignedIn(account, signIn(account));
    }

    /** A browser session signed in as the account (made here, so its password is {@link #PASSWORD}). */
    public WebSession signIn(UserAccount account) {
        return new WebSession(environment.getRequiredProperty("local.server.port", Integer.class))
                .login(account.getEmail(), PASSWORD);
    }

    /** An account and a browser session signed in as it. */
    public record SignedIn(UserAccount account, WebSession session) {

        /** Schedules a valid room (see {@link RoomForms#valid}) in UTC through the form; returns its id. */
        public long scheduleRoom(String title, long minutesFromNow) {
            return RoomForms.schedule(session, RoomForms.valid(title, ZoneId.of("UTC"), minutesFromNow));
        }

        /** The link of one of its rooms, as the room's page shows it. */
        public String link(long roomId) {
            return RoomForms.link(session, roomId);
        }
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
