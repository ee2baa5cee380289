package dev.parley.accounts.sso;

import java.util.List;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * A person the provider vouched for, with the Parley account they got. It lives only between the provider's answer
 * and {@link OidcSignInHandlers}, which puts the account's own snapshot into the session in its place.
 */
final class SignedInOidcUser extends DefaultOidcUser {

    private final long accountId;

    SignedInOidcUser(long accountId, OidcUser user) {
        super(List.of(), user.getIdToken(), user.getUserInfo());
        this.accountId = accountId;
    }

    long accountId() {
        return accountId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedInOidcUser other && other.accountId == accountId && super.equals(o);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(accountId);
    }
}
