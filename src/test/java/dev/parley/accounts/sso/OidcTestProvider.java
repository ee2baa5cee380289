package dev.parley.accounts.sso;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * A real OpenID Connect provider for tests: Spring Authorization Server in a small application context of its own
 * (none of Parley's configuration), on a random port of 127.0.0.2 so that its cookies never mix with Parley's on
 * 127.0.0.1. People sign in on its own login form; their ID token carries e-mail, name and a "groups" claim that the
 * test can change between sign-ins.
 */
final class OidcTestProvider {

    static final String CLIENT_ID = "parley";
    static final String CLIENT_SECRET = "provider-client-secret-for-tests";
    static final String PASSWORD = "Provider-Pass-1";
    private static final String CLIENT_KEY = UUID.randomUUID().toString();

    /** Each person's groups, as the next ID token will say. */
    static final Map<String, List<String>> GROUPS = new ConcurrentHashMap<>();

    private final ConfigurableApplicationContext context;

    private OidcTestProvider(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static OidcTestProvider start() {
        return new OidcTestProvider(new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.SERVLET)
                .properties("spring.config.name=oidc-test-provider", "server.port=0", "server.address=127.0.0.2",
                        "spring.jmx.enabled=false", "spring.main.banner-mode=off", "logging.level.root=WARN",
                        "logging.level.dev.parley=INFO")
                .run());
    }

    String issuer() {
        return "http://127.0.0.2:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Lets Parley at this address sign people in (its callback and its page after signing out). */
    void registerParley(String parleyBaseUrl, String registrationId) {
        context.getBean(InMemoryRegisteredClientRepository.class).save(client(
                parleyBaseUrl + "/login/oauth2/code/" + registrationId, parleyBaseUrl + "/login?logout"));
    }

    /** A person who can sign in at the provider with {@link #PASSWORD}. */
    void addPerson(String username, List<String> groups) {
        InMemoryUserDetailsManager people = context.getBean(InMemoryUserDetailsManager.class);
        if (!people.userExists(username)) {
            people.createUser(User.withUsername(username).password("{noop}" + PASSWORD).roles("USER").build());
        }
        GROUPS.put(username, List.copyOf(groups));
    }

    void stop() {
        context.close();
    }

    /**
     * The provider's application: Spring Boot's authorization server configuration and the beans below. Deliberately
     * not annotated as a configuration or component: Parley's component scan (and @SpringBootTest's search for a
     * configuration) must never find it.
     */
    @ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class,
            ServletWebServerFactoryAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
            JacksonAutoConfiguration.class, SecurityAutoConfiguration.class,
            OAuth2AuthorizationServerAutoConfiguration.class, OAuth2AuthorizationServerJwtAutoConfiguration.class})
    static class App {

        @Bean
        InMemoryRegisteredClientRepository registeredClients() {
            return new InMemoryRegisteredClientRepository(client("http://127.0.0.1:1/not-yet", "http://127.0.0.1:1/"));
        }

        @Bean
        InMemoryUserDetailsManager people() {
            return new InMemoryUserDetailsManager();
        }

        @Bean
        AuthorizationServerSettings authorizationServerSettings() {
            return AuthorizationServerSettings.builder().build();
        }

        @Bean
        OAuth2TokenCustomizer<JwtEncodingContext> idTokenClaims() {
            return context -> {
                if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
                    String username = context.getPrincipal().getName();
                    context.getClaims()
                            .claim("email", username + "@sso.test")
                            .claim("email_verified", true)
                            .claim("name", Character.toUpperCase(username.charAt(0)) + username.substring(1) + " Provider")
                            .claim("groups", GROUPS.getOrDefault(username, List.of()));
                }
            };
        }
    }

    private static RegisteredClient client(String redirectUri, String postLogoutRedirectUri) {
        return RegisteredClient.withId(CLIENT_KEY)
                .clientId(CLIENT_ID)
                .clientSecret("{noop}" + CLIENT_SECRET)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri(redirectUri)
                .postLogoutRedirectUri(postLogoutRedirectUri)
                .scope(OidcScopes.OPENID)
                .scope(OidcScopes.PROFILE)
                .scope(OidcScopes.EMAIL)
                .clientSettings(ClientSettings.builder().requireAuthorizationConsent(false).build())
                .build();
    }
}
