package dev.parley.accounts.sso;

import dev.parley.accounts.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How people sign in besides Parley's own passwords: OpenID Connect providers ({@code parley.oidc.<id>.*}, from
 * environment variables such as PARLEY_OIDC_KEYCLOAK_ISSUER) and one LDAP directory ({@code parley.ldap.*}); and
 * whether Parley's own passwords work at all ({@code parley.local-login}, PARLEY_LOCAL_LOGIN). docs/integrations.md
 * lists every setting.
 */
@ConfigurationProperties(prefix = "parley")
public record SsoProperties(@DefaultValue("true") boolean localLogin,
                            Map<String, Oidc> oidc,
                            @DefaultValue Ldap ldap) {

    /** The longest connect and read timeout of a provider's discovery document. */
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    public SsoProperties {
        oidc = oidc == null ? Map.of() : Map.copyOf(oidc);
    }

    /**
     * One OpenID Connect provider. Its id (the map key: letters and digits) names it in the callback URL
     * {@code /login/oauth2/code/<id>}; {@code name} is what the sign-in button says.
     */
    public record Oidc(String issuer, String clientId, String clientSecret, String name,
                       @DefaultValue({"openid", "profile", "email"}) List<String> scopes,
                       String roleClaim, List<String> adminGroups, List<String> hostGroups,
                       @DefaultValue("MEMBER") Role defaultRole,
                       @DefaultValue("false") boolean linkByEmail,
                       @DefaultValue("5s") Duration timeout) {

        public Oidc {
            adminGroups = adminGroups == null ? List.of() : List.copyOf(adminGroups);
            hostGroups = hostGroups == null ? List.of() : List.copyOf(hostGroups);
            if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException("parley.oidc.*.timeout (PARLEY_OIDC_<ID>_TIMEOUT) must be from 1 ms"
                        + " to " + MAX_TIMEOUT.toSeconds() + " s");
            }
        }

        RoleMapping roles() {
            return new RoleMapping(roleClaim != null && !roleClaim.isBlank(), adminGroups, hostGroups, defaultRole);
        }

        @Override
        public String toString() {
            return "Oidc[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret="
                    + (clientSecret == null || clientSecret.isEmpty() ? "unset" : "***") + ", name=" + name + "]";
        }
    }

    /**
     * An LDAP directory for sign-in with the directory's password (bind authentication). The person is found by
     * {@code userDnPattern} (e.g. {@code uid={0},ou=people}) or by {@code userSearchFilter} under
     * {@code userSearchBase} (e.g. {@code (|(uid={0})(mail={0}))}), both relative to {@code base}. Groups found by
     * {@code groupSearchFilter} under {@code groupSearchBase} give the role, when a group search base is set.
     */
    public record Ldap(String url, String base, String managerDn, String managerPassword,
                       String userDnPattern, String userSearchBase, String userSearchFilter,
                       String groupSearchBase, @DefaultValue("(member={0})") String groupSearchFilter,
                       @DefaultValue("cn") String groupNameAttribute,
                       List<String> adminGroups, List<String> hostGroups,
                       @DefaultValue("MEMBER") Role defaultRole,
                       @DefaultValue("mail") String emailAttribute,
                       @DefaultValue("cn") String nameAttribute,
                       @DefaultValue("false") boolean linkByEmail,
                       @DefaultValue("5s") Duration timeout) {

        public Ldap {
            adminGroups = adminGroups == null ? List.of() : List.copyOf(adminGroups);
            hostGroups = hostGroups == null ? List.of() : List.copyOf(hostGroups);
        }

        public boolean enabled() {
            return url != null && !url.isBlank();
        }

        RoleMapping roles() {
            return new RoleMapping(groupSearchBase != null, adminGroups, hostGroups, defaultRole);
        }

        @Override
        public String toString() {
            return "Ldap[url=" + url + ", base=" + base + ", managerDn=" + managerDn + ", managerPassword="
                    + (managerPassword == null || managerPassword.isEmpty() ? "unset" : "***") + "]";
        }
    }

    /** Whether the sign-in form (e-mail or user name and password) is shown and accepted. */
    public boolean passwordForm() {
        return localLogin || ldap.enabled();
    }
}
