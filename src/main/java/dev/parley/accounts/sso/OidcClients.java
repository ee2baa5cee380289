package dev.parley.accounts.sso;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.stereotype.Component;

/**
 * The configured OpenID Connect providers as Spring Security's client registrations. Each provider's discovery
 * document is read ({@link OidcDiscovery}, within the provider's {@code timeout}) once Parley has started, on a thread
 * of its own, so that the log says at once whether each provider answers; Parley starts, and its other sign-ins work,
 * while a provider is unreachable. A provider that did not answer is marked so on the login page and asked again when
 * someone signs in with it, at most every {@link #RETRY_AFTER_NANOS} nanoseconds (so that an issuer that never answers
 * does not hold a request thread per click).
 */
@Component
class OidcClients implements ClientRegistrationRepository {

    private static final Logger log = LoggerFactory.getLogger(OidcClients.class);
    static final long RETRY_AFTER_NANOS = 30_000_000_000L;

    private final Map<String, SsoProperties.Oidc> providers;
    private final Map<String, ClientRegistration> discovered = new ConcurrentHashMap<>();
    /** When the last failed read of a provider's document ended (System.nanoTime), while none has succeeded. */
    private final Map<String, Long> failedAt = new ConcurrentHashMap<>();

    OidcClients(SsoProperties properties) {
        this.providers = properties.oidc();
    }

    @EventListener(ApplicationReadyEvent.class)
    void discoverAtStart() {
        if (providers.isEmpty()) {
            return;
        }
        Thread thread = new Thread(() -> providers.keySet().stream().sorted().forEach(id -> {
            if (discover(id) != null) {
                log.info("OpenID Connect provider {} ({}) answered: sign-in with it is ready", id,
                        providers.get(id).issuer());
            }
        }), "parley-oidc-discovery");
        thread.setDaemon(true);
        thread.start();
    }

    /** The registration, or null when the id is unknown or the provider cannot be reached now. */
    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        if (!providers.containsKey(registrationId)) {
            return null;
        }
        ClientRegistration known = discovered.get(registrationId);
        if (known != null) {
            return known;
        }
        Long failed = failedAt.get(registrationId);
        if (failed != null && System.nanoTime() - failed < RETRY_AFTER_NANOS) {
            return null;
        }
        return discover(registrationId);
    }

    /** Whether the provider's last discovery failed (and none succeeded): its button says it cannot be reached. */
    boolean unreachable(String registrationId) {
        return failedAt.containsKey(registrationId) && !discovered.containsKey(registrationId);
    }

    private ClientRegistration discover(String registrationId) {
        SsoProperties.Oidc provider = providers.get(registrationId);
        try {
            ClientRegistration registration = OidcDiscovery.registration(provider.issuer(), provider.timeout())
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
            failedAt.remove(registrationId);
            return registration;
        } catch (RuntimeException e) {
            failedAt.put(registrationId, System.nanoTime());
            // The operator's log says which provider and why; the person signing in gets the login page's message.
            log.warn("OpenID Connect provider {} cannot be reached ({}: {}). Parley runs without it: its button on "
                    + "the login page says so, other ways of signing in work, and it is asked again when someone "
                    + "signs in with it (at most every {} s)", registrationId, provider.issuer(), e.getMessage(),
                    RETRY_AFTER_NANOS / 1_000_000_000L);
            return null;
        }
    }
}
