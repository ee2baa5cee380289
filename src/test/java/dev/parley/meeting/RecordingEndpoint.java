package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's asynchronous WebSocket endpoint that keeps the texts an {@link Outbox} gives it, and completes each
 * send at once (as Tomcat does when the socket takes it whole) or when the test says; nothing else of it is used.
 */
final class RecordingEndpoint {

    final List<String> sent = new ArrayList<>();
    final List<SendHandler> pending = new ArrayList<>();
    boolean completeAtOnce;
    long timeout;
    final RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(
            RecordingEndpoint.class.getClassLoader(), new Class<?>[] {RemoteEndpoint.Async.class},
            (proxy, method, args) -> {
                switch (method.getName()) {
                    case "setSendTimeout" -> timeout = (Long) args[0];
                    case "sendText" -> {
                        assertThat(pending).as("one message at a time").isEmpty();
                        sent.add((String) args[0]);
                        if (completeAtOnce) {
                            ((SendHandler) args[1]).onResult(new SendResult());
                        } else {
                            pending.add((SendHandler) args[1]);
                        }
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                }
                return null;
            });

    RecordingEndpoint(boolean completeAtOnce) {
        this.completeAtOnce = completeAtOnce;
    }

    /** Completes the oldest send under way. */
    void complete(SendResult result) {
        pending.remove(0).onResult(result);
    }
}
