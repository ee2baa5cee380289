package dev.parley.tls;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.catalina.connector.Connector;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.context.ServletWebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * With TLS on, a second, plain connector on {@code PARLEY_HTTP_PORT} whose every request is sent to the same path on
 * HTTPS with 308 (which keeps the method and body, so a WHIP POST is not turned into a GET). Nothing is served over
 * plain HTTP then, except through a trusted reverse proxy that says the original request was HTTPS.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${parley.tls.mode:off}'.trim().toLowerCase() != 'off'")
class HttpsRedirect {

    private volatile int httpsPort = -1;
    /** The HTTPS port when media shares it: the web server's own port is then an internal one. */
    private final int publicPort;

    HttpsRedirect(@Value("${parley.tls.public-port:-1}") int publicPort) {
        this.publicPort = publicPort;
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> plainConnector(
            @Value("${parley.tls.http-port}") int httpPort,
            @Value("${parley.tls.public-address:${server.address:}}") String address) {
        return factory -> {
            Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
            connector.setPort(httpPort);
            connector.setScheme("http");
            connector.setSecure(false);
            if (!address.isBlank()) {
                connector.setProperty("address", address);
            }
            factory.addAdditionalTomcatConnectors(connector);
        };
    }

    @EventListener
    void onStarted(ServletWebServerInitializedEvent event) {
        httpsPort = publicPort > 0 ? publicPort : event.getWebServer().getPort();
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> httpsRedirectFilter() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (request.isSecure()) {
                    chain.doFilter(request, response);
                    return;
                }
                StringBuilder target = new StringBuilder("https://").append(hostOf(request.getServerName()));
                if (httpsPort != 443 && httpsPort > 0) {
                    target.append(':').append(httpsPort);
                }
                target.append(request.getRequestURI());
                if (request.getQueryString() != null) {
                    target.append('?').append(request.getQueryString());
                }
                response.setStatus(308);
                response.setHeader("Location", target.toString());
                response.setContentLength(0);
            }
        });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setName("httpsRedirect");
        return registration;
    }

    private static String hostOf(String serverName) {
        return serverName.contains(":") && !serverName.startsWith("[") ? "[" + serverName + "]" : serverName;
    }
}
