package dev.parley.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * Finds a real PostgreSQL for the persistence tests: the local server at 127.0.0.1:5432 when it answers (a fresh
 * database per test run, dropped at exit), else a Testcontainers PostgreSQL when a Docker engine is present, else
 * none. Without one the tests are skipped with the reason, unless PARLEY_REQUIRE_POSTGRES=true (set by .ci/run), which
 * turns the skip into a failure.
 */
public final class PostgresSupport implements ExecutionCondition {

    public record Endpoint(String url, String username, String password, String origin) {
    }

    static final String LOCAL_URL = env("PARLEY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String LOCAL_USER = env("PARLEY_TEST_PG_USER", "postgres");
    static final String LOCAL_PASSWORD = env("PARLEY_TEST_PG_PASSWORD", "");

    private static Endpoint endpoint;
    /** Where databases are created and dropped: never one of the databases made here, which are dropped at exit. */
    private static String serverUrl;
    private static String unavailableReason;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (endpoint() != null) {
            return ConditionEvaluationResult.enabled("PostgreSQL: " + endpoint.origin());
        }
        if (Boolean.parseBoolean(System.getenv("PARLEY_REQUIRE_POSTGRES"))) {
            throw new IllegalStateException("PARLEY_REQUIRE_POSTGRES=true but no PostgreSQL: " + unavailableReason);
        }
        return ConditionEvaluationResult.disabled("Skipped: no PostgreSQL (" + unavailableReason + ")");
    }

    public static synchronized Endpoint endpoint() {
        if (endpoint == null && unavailableReason == null) {
            endpoint = local();
            if (endpoint == null) {
                endpoint = container();
            }
        }
        return endpoint;
    }

    /**
     * Another empty database on the same server, for a test whose context must not share data with the others (on a
     * Testcontainers server too). Call only after {@link #endpoint()} found one.
     */
    public static synchronized Endpoint freshDatabase() {
        Endpoint shared = endpoint();
        try {
            return create(serverUrl, shared.username(), shared.password(), shared.origin());
        } catch (SQLException e) {
            throw new IllegalStateException("could not create a second test database: " + e.getMessage(), e);
        }
    }

    private static Endpoint local() {
        try {
            Endpoint local = create(LOCAL_URL, LOCAL_USER, LOCAL_PASSWORD, "local server");
            serverUrl = LOCAL_URL;
            return local;
        } catch (SQLException e) {
            unavailableReason = "local server at " + LOCAL_URL + " did not answer: " + e.getMessage();
            return null;
        }
    }

    private static Endpoint create(String serverUrl, String user, String password, String origin) throws SQLException {
        try (Connection admin = DriverManager.getConnection(serverUrl, user, password);
             Statement statement = admin.createStatement()) {
            String database = "parley_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                    .toLowerCase(Locale.ROOT);
            statement.execute("create database " + database);
            String url = serverUrl.substring(0, serverUrl.lastIndexOf('/') + 1) + database;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(serverUrl, user, password, database),
                    "drop-" + database));
            return new Endpoint(url, user, password, origin + ", database " + database);
        }
    }

    @SuppressWarnings("resource")
    private static Endpoint container() {
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                unavailableReason += "; no Docker engine for Testcontainers";
                return null;
            }
        } catch (RuntimeException e) {
            unavailableReason += "; no Docker engine for Testcontainers (" + e.getMessage() + ")";
            return null;
        }
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-postgres-container"));
        serverUrl = container.getJdbcUrl();
        return new Endpoint(container.getJdbcUrl(), container.getUsername(), container.getPassword(), "Testcontainers");
    }

    private static void drop(String serverUrl, String user, String password, String database) {
        try (Connection admin = DriverManager.getConnection(serverUrl, user, password);
             Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
        } catch (SQLException e) {
            System.err.println("Could not drop test database " + database + ": " + e.getMessage());
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
