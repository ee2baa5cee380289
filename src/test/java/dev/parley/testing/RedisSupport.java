package dev.parley.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Finds a real Redis for the tests of several nodes: the local server at 127.0.0.1:6379 (PARLEY_TEST_REDIS_URL to
 * name another) when it answers PING. Without one the tests are skipped with the reason, unless
 * PARLEY_REQUIRE_REDIS=true (set by .ci/run), which turns the skip into a failure.
 */
public final class RedisSupport implements ExecutionCondition {

    static final String HOST = env("PARLEY_TEST_REDIS_HOST", "127.0.0.1");
    static final int PORT = Integer.parseInt(env("PARLEY_TEST_REDIS_PORT", "6379"));

    /** The URL Parley is given ({@code PARLEY_REDIS_URL}). */
    public static String url() {
        return "redis://" + HOST + ":" + PORT;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String problem = ping();
        if (problem == null) {
            return ConditionEvaluationResult.enabled("Redis at " + HOST + ":" + PORT);
        }
        if (Boolean.parseBoolean(System.getenv("PARLEY_REQUIRE_REDIS"))) {
            throw new IllegalStateException("PARLEY_REQUIRE_REDIS=true but no Redis: " + problem);
        }
        return ConditionEvaluationResult.disabled("Skipped: no Redis (" + problem + ")");
    }

    /** Null when Redis answers PING with PONG, else what went wrong. */
    public static String ping() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 2000);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            String text = new String(reply, StandardCharsets.US_ASCII);
            return text.startsWith("+PONG") ? null : "PING answered " + text.strip();
        } catch (IOException e) {
            return HOST + ":" + PORT + ": " + e.getMessage();
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
