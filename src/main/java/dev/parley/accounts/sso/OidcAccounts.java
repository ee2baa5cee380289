package dev.parley.accounts.sso;

import dev.parley.accounts.UserAccount;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * After the provider's ID token (and user info) checked out: the Parley account of that person, by issuer and
 * subject, with the role the provider's claim gives ({@code role-claim}, a dotted path such as
 * {@code realm_access.roles} reaches into nested claims).
 */
class OidcAccounts implements OAuth2UserService<OidcUserRequest, OidcUser> {

    private static final int MAX_GROUPS = 1000;

    private final OidcUserService standard = new OidcUserService();
    private final Map<String, SsoProperties.Oidc> providers;
    private final ExternalSignIns signIns;

    OidcAccounts(Map<String, SsoProperties.Oidc> providers, ExternalSignIns signIns) {
        this.providers = providers;
        this.signIns = signIns;
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) throws OAuth2AuthenticationException {
        OidcUser user = standard.loadUser(request);
        String id = request.getClientRegistration().getRegistrationId();
        SsoProperties.Oidc provider = providers.get(id);
        String name = user.getFullName() != null ? user.getFullName() : user.getPreferredUsername();
        ExternalPerson person = new ExternalPerson(user.getIdToken().getIssuer().toString(), user.getSubject(),
                user.getEmail(), Boolean.TRUE.equals(user.getEmailVerified()), name,
                provider.roles().roleFor(values(user.getClaims(), provider.roleClaim())), provider.defaultRole(),
                provider.linkByEmail(), displayName(id, provider));
        UserAccount account = signIns.signIn(person);
        return new SignedInOidcUser(account.getId(), user);
    }

    static String displayName(String id, SsoProperties.Oidc provider) {
        return provider.name() == null || provider.name().isBlank() ? id : provider.name();
    }

    /** The claim's values at the dotted path: a list of strings, or one string; nothing when absent. */
    static List<String> values(Map<String, Object> claims, String path) {
        if (path == null || path.isBlank()) {
            return List.of();
        }
        Object value = claims;
        for (String step : path.strip().split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return List.of();
            }
            value = map.get(step);
        }
        List<String> values = new ArrayList<>();
        if (value instanceof Collection<?> collection) {
            collection.stream().limit(MAX_GROUPS).filter(v -> v instanceof String).forEach(v -> values.add((String) v));
        } else if (value instanceof String single) {
            values.add(single);
        }
        return values;
    }
}
