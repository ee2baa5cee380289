package dev.parley.accounts.sso;

import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/** What the login page offers: a button per OpenID Connect provider, and the password form or not. */
@Component
public class SignInOptions {

    /**
     * One "Sign in with ..." button: it starts the sign-in at {@code /oauth2/authorization/<id>}; {@code unreachable}
     * when the provider did not answer the last time Parley asked (the page says so beside the button).
     */
    public record ProviderButton(String id, String name, boolean unreachable) {
    }

    private final SsoProperties properties;
    private final OidcClients clients;

    SignInOptions(SsoProperties properties, OidcClients clients) {
        this.properties = properties;
        this.clients = clients;
    }

    public List<ProviderButton> providers() {
        return properties.oidc().entrySet().stream()
                .map(e -> new ProviderButton(e.getKey(), OidcAccounts.displayName(e.getKey(), e.getValue()),
                        clients.unreachable(e.getKey())))
                .sorted(Comparator.comparing(ProviderButton::name))
                .toList();
    }

    /** The e-mail (or directory user name) and password form. */
    public boolean passwordForm() {
        return properties.passwordForm();
    }

    /** Parley's own passwords work (so "Forgot password?" may be offered). */
    public boolean localLogin() {
        return properties.localLogin();
    }

    /** Passwords are checked by an LDAP directory too: the form takes a user name as well as an e-mail address. */
    public boolean directory() {
        return properties.ldap().enabled();
    }
}
