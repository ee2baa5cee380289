package dev.parley.meeting;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/** /ws/signal, same-origin only (Spring's default origin check), with room for oversized messages to be refused politely. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    private final SignalingHandler handler;

    WebSocketConfiguration(SignalingHandler handler) {
        this.handler = handler;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, "/ws/signal");
    }

    /**
     * The container's buffer for a text message, in chars. Tomcat allocates it for every connection when it opens (at
     * 1 Mi chars it was 2 MiB of heap per participant, the largest part of the relay's memory with 160 people:
     * docs/performance.md, Memory). A larger message comes to the handler in parts, which it puts together within
     * the message's limit (SignalingHandler), so the buffer holds the common messages whole and no more.
     */
    static final int TEXT_BUFFER_CHARS = 16 * 1024;

    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(TEXT_BUFFER_CHARS);
        container.setMaxBinaryMessageBufferSize(8 * 1024);
        return container;
    }
}
