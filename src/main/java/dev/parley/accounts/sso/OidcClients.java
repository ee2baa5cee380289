package dev.parley.accounts.sso;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;

/**
 * The configured OpenID Connect providers as Spring Security's client registrations. Each provider's discovery
 * document ({@code <issuer>/.well-known/openid-configuration}) is read when someone first signs in with it, not at
 * start: Parley starts, and its other sign-ins work, while a provider is unreachable; a failed read is tried again at
 * the next sign-in.
 */
class OidcClients implements ClientRegistrationRepository {

    private static final Logger log = LoggerFactory.getLogger(OidcClients.class);

    private final Map<String, SsoProperties.Oidc> providers;
    private final Map<String, ClientRegistration> discovered = new ConcurrentHashMap<>();

    OidcClients(Map<String, SsoProperties.Oidc> providers) {
        this.providers = providers;
    }

    /** The registration, or null when the id is unknown or the provider cannot be reached now. */
    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        SsoProperties.Oidc provider = providers.get(registrationId);
        if (provider == null) {
            return null;
        }
        ClientRegistration known = discovered.get(registrationId);
        if (known != null) {
            return known;
        }
        try {
            ClientRegistration registration = ClientRegistrations.fromIssuerLocation(provider.issuer())
                    .registrationId(registrationId)
                    .clientId(provider.clientId())
                    .clientSecret(provider.clientSecret())
                    .clientName(provider.name())
                    .scope(provider.scopes())
                    .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                    // PKCE as well as the client secret: a stolen authorization code is of no use on its own.
                    .clientSettings(ClientRegistration.ClientSettings.builder().requireProofKey(true).build())
                    .build();
            discovered.put(registrationId, registration);
            return registration;
        } catch (RuntimeException e) {
            // The operator's log says which provider and why; the person signing in gets the login page's message.
            log.warn("OpenID Connect provider {} ({}) cannot be used now: {}", registrationId, provider.issuer(),
                    e.getMessage());
            return null;
        }
    }
}
