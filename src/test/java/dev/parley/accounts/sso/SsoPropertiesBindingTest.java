package dev.parley.accounts.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The environment variables of docs/integrations.md#single-sign-on bind to the settings they are documented for. */
class SsoPropertiesBindingTest {

    @Test
    void theDocumentedEnvironmentVariablesBind() {
        Map<String, Object> variables = Map.ofEntries(
                Map.entry("PARLEY_OIDC_KEYCLOAK_ISSUER", "https://id.example.org/realms/staff"),
                Map.entry("PARLEY_OIDC_KEYCLOAK_CLIENT_ID", "parley"),
                Map.entry("PARLEY_OIDC_KEYCLOAK_CLIENT_SECRET", "s3cret"),
                Map.entry("PARLEY_OIDC_KEYCLOAK_NAME", "Example staff login"),
                Map.entry("PARLEY_OIDC_KEYCLOAK_ROLE_CLAIM", "realm_access.roles"),
                Map.entry("PARLEY_OIDC_KEYCLOAK_ADMIN_GROUPS", "parley-admins"),
                Map.entry("PARLEY_OIDC_KEYCLOAK_HOST_GROUPS", "teachers,parley-hosts"),
                Map.entry("PARLEY_OIDC_KEYCLOAK_DEFAULT_ROLE", "MEMBER"),
                Map.entry("PARLEY_OIDC_KEYCLOAK_LINK_BY_EMAIL", "true"),
                Map.entry("PARLEY_OIDC_KEYCLOAK_TIMEOUT", "3s"),
                Map.entry("PARLEY_OIDC_GOOGLE_ISSUER", "https://accounts.google.com"),
                Map.entry("PARLEY_OIDC_GOOGLE_CLIENT_ID", "1234.apps.googleusercontent.com"),
                Map.entry("PARLEY_LDAP_URL", "ldaps://ldap.example.org"),
                Map.entry("PARLEY_LDAP_BASE", "dc=example,dc=org"),
                Map.entry("PARLEY_LDAP_MANAGER_DN", "cn=parley,ou=services,dc=example,dc=org"),
                Map.entry("PARLEY_LDAP_USER_SEARCH_BASE", "ou=people"),
                Map.entry("PARLEY_LDAP_USER_SEARCH_FILTER", "(|(uid={0})(mail={0}))"),
                Map.entry("PARLEY_LDAP_GROUP_SEARCH_BASE", "ou=groups"),
                Map.entry("PARLEY_LDAP_ADMIN_GROUPS", "parley-admins"),
                Map.entry("PARLEY_LDAP_HOST_GROUPS", "teachers"));
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        variables));

        SsoProperties properties = Binder.get(environment).bind("parley", SsoProperties.class).get();

        assertThat(properties.localLogin()).isTrue();
        assertThat(properties.oidc()).containsOnlyKeys("keycloak", "google");
        SsoProperties.Oidc keycloak = properties.oidc().get("keycloak");
        assertThat(keycloak.issuer()).isEqualTo("https://id.example.org/realms/staff");
        assertThat(keycloak.clientId()).isEqualTo("parley");
        assertThat(keycloak.clientSecret()).isEqualTo("s3cret");
        assertThat(keycloak.name()).isEqualTo("Example staff login");
        assertThat(keycloak.roleClaim()).isEqualTo("realm_access.roles");
        assertThat(keycloak.adminGroups()).containsExactly("parley-admins");
        assertThat(keycloak.hostGroups()).containsExactly("teachers", "parley-hosts");
        assertThat(keycloak.linkByEmail()).isTrue();
        assertThat(keycloak.scopes()).containsExactly("openid", "profile", "email");
        assertThat(keycloak.toString()).doesNotContain("s3cret");
        assertThat(keycloak.timeout()).isEqualTo(java.time.Duration.ofSeconds(3));
        SsoProperties.Oidc google = properties.oidc().get("google");
        assertThat(google.defaultRole()).isEqualTo(Role.MEMBER);
        assertThat(google.timeout()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(google.roles().roleFor(List.of("anything"))).isEmpty();

        SsoProperties.Ldap ldap = properties.ldap();
        assertThat(ldap.enabled()).isTrue();
        assertThat(ldap.managerDn()).isEqualTo("cn=parley,ou=services,dc=example,dc=org");
        assertThat(ldap.userSearchFilter()).isEqualTo("(|(uid={0})(mail={0}))");
        assertThat(ldap.groupSearchBase()).isEqualTo("ou=groups");
        assertThat(ldap.groupSearchFilter()).isEqualTo("(member={0})");
        assertThat(ldap.roles().roleFor(List.of("Teachers"))).contains(Role.HOST);
    }

    @Test
    void aNestedClaimGivesItsValues() {
        Map<String, Object> claims = Map.of("realm_access", Map.of("roles", List.of("teachers", "offline_access")),
                "groups", "parley-admins");
        assertThat(OidcAccounts.values(claims, "realm_access.roles")).containsExactly("teachers", "offline_access");
        assertThat(OidcAccounts.values(claims, "groups")).containsExactly("parley-admins");
        assertThat(OidcAccounts.values(claims, "groups.deeper")).isEmpty();
        assertThat(OidcAccounts.values(claims, "missing")).isEmpty();
    }
}
