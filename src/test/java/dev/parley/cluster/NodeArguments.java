package dev.parley.cluster;

import dev.parley.testing.PostgresSupport;
import dev.parley.testing.RedisSupport;
import java.util.ArrayList;
import java.util.List;

/** The arguments of a test's Parley nodes: one fresh PostgreSQL database, the local Redis, and their first admin. */
final class NodeArguments {

    private NodeArguments() {
    }

    /** Every node of a test gets these, so that they share the database and the {@code namespace} in Redis. */
    static List<String> of(PostgresSupport.Endpoint database, String namespace, String adminEmail,
                           String adminPassword, String... more) {
        List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=postgres",
                "--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--parley.cluster.redis-url=" + RedisSupport.url(),
                "--parley.cluster.namespace=" + namespace,
                "--parley.admin.email=" + adminEmail, "--parley.admin.password=" + adminPassword));
        arguments.addAll(List.of(more));
        return List.copyOf(arguments);
    }
}
