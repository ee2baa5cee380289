package dev.parley.api;

import dev.parley.accounts.ParleyUser;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request authenticated by an API token: its owner as the principal, the owner's role and the token's scopes. */
final class ApiTokenAuthentication extends AbstractAuthenticationToken {

    private final ParleyUser owner;
    private final long tokenId;

    ApiTokenAuthentication(ApiTokens.Caller caller) {
        super(authorities(caller));
        this.owner = caller.user();
        this.tokenId = caller.tokenId();
        setAuthenticated(true);
    }

    private static List<GrantedAuthority> authorities(ApiTokens.Caller caller) {
        List<GrantedAuthority> authorities = new ArrayList<>(caller.user().getAuthorities());
        caller.scopes().forEach(scope -> authorities.add(new SimpleGrantedAuthority(scope.authority())));
        return authorities;
    }

    long tokenId() {
        return tokenId;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public ParleyUser getPrincipal() {
        return owner;
    }
}
