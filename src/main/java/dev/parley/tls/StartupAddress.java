package dev.parley.tls;

import java.net.URI;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.context.ServletWebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Says at start which address to open, and warns in plain words when browsers will refuse camera and microphone
 * there: they give them only to https pages and to localhost.
 */
@Component
class StartupAddress {

    private static final Logger log = LoggerFactory.getLogger(StartupAddress.class);

    private final String mode;
    private final String publicUrl;
    private final int httpPort;
    private final int publicPort;

    StartupAddress(@Value("${parley.tls.mode:off}") String mode, @Value("${parley.rooms.public-url:}") String publicUrl,
                   @Value("${parley.tls.http-port:8080}") int httpPort,
                   @Value("${parley.tls.public-port:-1}") int publicPort) {
        this.mode = mode;
        this.publicUrl = publicUrl.strip();
        this.httpPort = httpPort;
        this.publicPort = publicPort;
    }

    @EventListener
    void onStarted(ServletWebServerInitializedEvent event) {
        boolean tls = TlsMode.of(mode) != TlsMode.OFF;
        int port = publicPort > 0 ? publicPort : event.getWebServer().getPort();
        String local = (tls ? "https" : "http") + "://localhost:" + port + "/";
        if (tls) {
            log.info("Parley is ready: open {}{} (plain HTTP on port {} redirects there){}",
                    publicUrl.isEmpty() ? local : publicUrl, publicUrl.isEmpty() ? "" : " (on this machine " + local + ")",
                    httpPort, TlsMode.of(mode) == TlsMode.SELF_SIGNED
                            ? "; the certificate is self-signed, so browsers warn once until it is trusted" : "");
            return;
        }
        log.info("Parley is ready: open {}", publicUrl.isEmpty() ? local : publicUrl);
        if (!publicUrl.isEmpty() && !secureContext(publicUrl)) {
            log.warn("PARLEY_ROOMS_PUBLIC_URL is {}: browsers give camera and microphone only to https:// pages and to "
                    + "localhost, so people joining there will have no audio or video. Set PARLEY_TLS=self-signed or "
                    + "files, or put an HTTPS proxy in front and make the public URL https://", publicUrl);
        }
    }

    static boolean secureContext(String url) {
        try {
            URI uri = URI.create(url);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            return "https".equalsIgnoreCase(uri.getScheme()) || host.equals("localhost") || host.endsWith(".localhost")
                    || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
