package dev.parley.tls;

import dev.parley.relay.Relay;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.Valve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.context.ServletWebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;

/**
 * {@code PARLEY_MEDIA_TCP_PORT=https}: one TCP port for the web app and for media over ICE-TCP, so a network that lets
 * only 443 through still carries meetings. The web server listens on 127.0.0.1 only ({@link TlsEnvironment} moved
 * it); {@link SharedHttpsPort} owns the public HTTPS port and sorts its connections by their first bytes; the relay
 * announces that port in its TCP candidates, which rank below the UDP ones, so UDP still wins where it works.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "parley.media.tcp-shared", havingValue = "true")
public class OnePort {

    private static final Logger log = LoggerFactory.getLogger(OnePort.class);
    private final ProxiedClients clients = new ProxiedClients();
    private final Relay relay;
    private final String publicAddress;
    private final int publicPort;
    private volatile SharedHttpsPort port;

    OnePort(Relay relay, @Value("${parley.tls.public-address}") String publicAddress,
            @Value("${parley.tls.public-port}") int publicPort) {
        this.relay = relay;
        this.publicAddress = publicAddress;
        this.publicPort = publicPort;
    }

    /** The client-address valve first of all, so the forwarded-header valve that Boot adds sees the real client. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> proxiedClientValve() {
        return new ValveFirst(new ProxiedClientValve(clients));
    }

    @EventListener
    void onStarted(ServletWebServerInitializedEvent event) throws IOException {
        if (event.getApplicationContext().getServerNamespace() != null || port != null) {
            return;
        }
        int webServerPort = event.getWebServer().getPort();
        clients.webServerPort(webServerPort);
        InetSocketAddress bind = new InetSocketAddress(InetAddress.getByName(publicAddress), publicPort);
        try {
            // 127.0.0.1 as TlsEnvironment set it (getLoopbackAddress() may be ::1 where IPv6 is preferred).
            port = new SharedHttpsPort(bind, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), webServerPort),
                    clients, relay::acceptTcp, SharedHttpsPort.Limits.defaults(), Relay.MAX_PACKET);
        } catch (IOException e) {
            throw new IOException("PARLEY_MEDIA_TCP_PORT=https: cannot listen on the HTTPS port " + bind + ": "
                    + e.getMessage(), e);
        }
        port.start();
        log.info("HTTPS and ICE-TCP media share port {} (the web server itself listens on 127.0.0.1:{})",
                port.port(), webServerPort);
    }

    /** The connections sorted so far (tests, diagnostics). */
    SharedHttpsPort.Counts counts() {
        SharedHttpsPort current = port;
        return current == null ? new SharedHttpsPort.Counts(0, 0, 0, 0, 0) : current.counts();
    }

    ProxiedClients clients() {
        return clients;
    }

    @PreDestroy
    void stop() {
        SharedHttpsPort current = port;
        if (current != null) {
            current.close();
        }
    }

    private record ValveFirst(Valve valve) implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>,
            Ordered {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            List<Valve> valves = new ArrayList<>(factory.getEngineValves());
            valves.add(0, valve);
            factory.setEngineValves(valves);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
