package dev.parley.tls;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Turns {@code PARLEY_TLS} into Spring Boot's own TLS settings before the web server is made:
 *
 * <ul>
 *   <li>{@code off} (the default): plain HTTP on {@code PARLEY_HTTP_PORT}, as before.</li>
 *   <li>{@code self-signed}: a certificate made once under {@code PARLEY_TLS_DIRECTORY} ({@code ./data/tls}) for
 *       localhost, 127.0.0.1, ::1 and the public URL's host ({@link SelfSignedCertificate}), for a LAN or a test.</li>
 *   <li>{@code files}: the PEM certificate chain and key at {@code PARLEY_TLS_CERTIFICATE} and
 *       {@code PARLEY_TLS_PRIVATE_KEY}, reloaded when they change (an SSL bundle with {@code reload-on-update}), so a
 *       certbot renewal needs no restart.</li>
 * </ul>
 *
 * With TLS the server listens on {@code PARLEY_HTTPS_PORT} (8443) and {@code PARLEY_HTTP_PORT} only redirects to it
 * ({@link HttpsRedirect}). With {@code PARLEY_MEDIA_TCP_PORT=https} media shares that port ({@link OnePort}).
 * The settings go in below the command line, system properties and the environment, so an
 * explicit {@code server.port} or {@code server.ssl.*} still wins.
 */
public class TlsEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String BUNDLE = "parley";
    static final String SOURCE = "parleyTls";

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        TlsMode mode = TlsMode.of(environment.getProperty("parley.tls.mode", "off"));
        boolean onePort = "https".equalsIgnoreCase(environment.getProperty("parley.media.tcp-port", "-1").strip());
        if (onePort && mode == TlsMode.OFF) {
            throw new IllegalStateException("PARLEY_MEDIA_TCP_PORT=https shares Parley's HTTPS port with media, so it "
                    + "needs PARLEY_TLS=self-signed or files; PARLEY_TLS is off. Set PARLEY_TLS, or give "
                    + "PARLEY_MEDIA_TCP_PORT a port number of its own");
        }
        if (mode == TlsMode.OFF) {
            return;
        }
        Map<String, Object> settings = new HashMap<>();
        String prefix = "spring.ssl.bundle.pem." + BUNDLE + ".keystore.";
        if (mode == TlsMode.SELF_SIGNED) {
            Path directory = Path.of(environment.getProperty("parley.tls.directory", "./data/tls"));
            Path[] files;
            try {
                files = SelfSignedCertificate.ensure(directory, hosts(environment), Instant.now());
            } catch (Exception e) {
                throw new IllegalStateException("PARLEY_TLS=self-signed: cannot make or read the certificate in "
                        + directory.toAbsolutePath() + ": " + e.getMessage(), e);
            }
            settings.put(prefix + "certificate", "file:" + files[0].toAbsolutePath());
            settings.put(prefix + "private-key", "file:" + files[1].toAbsolutePath());
        } else {
            String certificate = environment.getProperty("parley.tls.certificate", "");
            String key = environment.getProperty("parley.tls.private-key", "");
            if (certificate.isBlank() || key.isBlank()) {
                throw new IllegalStateException(
                        "PARLEY_TLS=files needs PARLEY_TLS_CERTIFICATE and PARLEY_TLS_PRIVATE_KEY (PEM files)");
            }
            settings.put(prefix + "certificate", "file:" + Path.of(certificate).toAbsolutePath());
            settings.put(prefix + "private-key", "file:" + Path.of(key).toAbsolutePath());
            settings.put("spring.ssl.bundle.pem." + BUNDLE + ".reload-on-update", "true");
        }
        settings.put("server.ssl.bundle", BUNDLE);
        settings.put("server.port", environment.getProperty("parley.tls.https-port", "8443"));
        PropertySource<?> source = new MapPropertySource(SOURCE, settings);
        String firstConfigFile = null;
        for (PropertySource<?> existing : environment.getPropertySources()) {
            if (existing.getName().startsWith("Config resource")) {
                firstConfigFile = existing.getName();
                break;
            }
        }
        if (firstConfigFile != null) {
            environment.getPropertySources().addBefore(firstConfigFile, source);
        } else {
            environment.getPropertySources().addLast(source);
        }
        if (onePort) {
            shareHttpsPort(environment);
        }
    }

    /**
     * {@code PARLEY_MEDIA_TCP_PORT=https} ({@link OnePort}): the web server moves to 127.0.0.1 on
     * {@code PARLEY_HTTPS_INTERNAL_PORT} (any free one by default) and the HTTPS port becomes the relay's ICE-TCP port,
     * listened on by Parley itself. Above every other source, since these follow from that one setting.
     */
    private static void shareHttpsPort(ConfigurableEnvironment environment) {
        String publicPort = environment.getProperty("parley.tls.https-port", "8443").strip();
        int port;
        try {
            port = Integer.parseInt(publicPort);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalStateException("PARLEY_MEDIA_TCP_PORT=https needs PARLEY_HTTPS_PORT to be a port number "
                    + "(1-65535), not \"" + publicPort + "\"");
        }
        String address = environment.getProperty("server.address", "0.0.0.0").strip();
        Map<String, Object> settings = new HashMap<>();
        settings.put("parley.tls.public-port", String.valueOf(port));
        settings.put("parley.tls.public-address", address.isEmpty() ? "0.0.0.0" : address);
        settings.put("server.port", environment.getProperty("parley.tls.internal-port", "0"));
        settings.put("server.address", "127.0.0.1");
        settings.put("parley.media.tcp-port", String.valueOf(port));
        settings.put("parley.media.tcp-shared", "true");
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE + "OnePort", settings));
    }

    /** The names the self-signed certificate is for: the public URL's host first if there is one. */
    static List<String> hosts(ConfigurableEnvironment environment) {
        List<String> hosts = new ArrayList<>();
        String publicUrl = environment.getProperty("parley.rooms.public-url", "");
        if (!publicUrl.isBlank()) {
            try {
                String host = URI.create(publicUrl.strip()).getHost();
                if (host != null) {
                    hosts.add(host.toLowerCase(Locale.ROOT).replaceAll("^\\[|\\]$", ""));
                }
            } catch (IllegalArgumentException e) {
                // a malformed public URL is reported where rooms use it; the certificate names the local ones
            }
        }
        for (String local : List.of("localhost", "127.0.0.1", "::1")) {
            if (!hosts.contains(local)) {
                hosts.add(local);
            }
        }
        return hosts;
    }
}
