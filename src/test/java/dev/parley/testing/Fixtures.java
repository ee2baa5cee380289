package dev.parley.testing;

import dev.parley.accounts.AccountService;
import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** Creates accounts for tests through the real service, with unique addresses so tests sharing a context never clash. */
@Component
public class Fixtures {

    public static final String PASSWORD = "Tangerine-Lighthouse-93";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final AccountService accounts;

    public Fixtures(AccountService accounts) {
        this.accounts = accounts;
    }

    public UserAccount user(Role role) {
        return user(role, role.name().toLowerCase(Locale.ROOT));
    }

    public UserAccount user(Role role, String prefix) {
        int n = SEQUENCE.incrementAndGet();
        String email = prefix + "-" + n + "-" + System.nanoTime() % 100000 + "@parley.test";
        return accounts.create(email, capitalise(prefix) + " " + n, PASSWORD, role, Locale.ENGLISH);
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
