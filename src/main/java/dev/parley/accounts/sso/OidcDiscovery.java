package dev.parley.accounts.sso;

import java.time.Duration;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.web.client.RestClient;

/**
 * Reads an OpenID Connect provider's discovery document ({@code <issuer>/.well-known/openid-configuration}) within
 * connect and read timeouts, and makes a client registration of it. Spring Security's
 * {@code ClientRegistrations.fromIssuerLocation} would do the same with no timeout at all, so that an issuer that
 * accepts the connection and never answers would hold the thread for ever.
 */
final class OidcDiscovery {

    private static final String PATH = "/.well-known/openid-configuration";
    private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
            new ParameterizedTypeReference<>() {
            };

    private OidcDiscovery() {
    }

    /**
     * The provider's registration as its discovery document describes it.
     *
     * @throws RuntimeException when the document cannot be read in time, is not one, or names another issuer
     */
    static ClientRegistration.Builder registration(String issuer, Duration timeout) {
        SimpleClientHttpRequestFactory http = new SimpleClientHttpRequestFactory();
        http.setConnectTimeout(timeout);
        http.setReadTimeout(timeout);
        String location = (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer) + PATH;
        Map<String, Object> metadata = RestClient.builder().requestFactory(http).build()
                .get().uri(location).accept(MediaType.APPLICATION_JSON)
                .retrieve().body(JSON_OBJECT);
        if (metadata == null || !issuer.equals(metadata.get("issuer"))) {
            // As the specification and Spring Security require: the document must be the issuer's own.
            throw new IllegalStateException("the discovery document at " + location + " names the issuer "
                    + (metadata == null ? null : metadata.get("issuer")) + ", not " + issuer);
        }
        return ClientRegistrations.fromOidcConfiguration(metadata);
    }
}
