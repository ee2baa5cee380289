package dev.parley.api;

import static dev.parley.api.ApiScope.MEETINGS_READ;
import static dev.parley.api.ApiScope.MEETINGS_WRITE;
import static dev.parley.api.ApiScope.ROOMS_READ;
import static dev.parley.api.ApiScope.ROOMS_WRITE;
import static dev.parley.api.ApiScope.USERS_READ;
import static dev.parley.api.ApiScope.USERS_WRITE;

import dev.parley.accounts.Role;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpMethod;

/**
 * Who may call each API operation: the token's scope and its owner's role now, both required. The one table that the
 * security chain enforces ({@link ApiSecurityConfiguration}) and the OpenAPI description states ({@link ApiDocs});
 * OpenApiSpecTest checks that every /api/v1 mapping has a row. A GET's row holds for HEAD too.
 */
final class ApiAccess {

    static final String BASE = "/api/v1";
    static final String SPEC = BASE + "/openapi.json";

    private static final Set<Role> HOSTS = Set.of(Role.HOST, Role.ADMIN);
    private static final Set<Role> ADMINS = Set.of(Role.ADMIN);

    record Rule(HttpMethod method, String path, ApiScope scope, Set<Role> roles) {

        String[] roleNames() {
            return roles.stream().map(Role::name).sorted().toArray(String[]::new);
        }

        /** In words, for the OpenAPI description. */
        String describe() {
            return "Requires the scope `" + scope.wireName() + "` and an owner who is "
                    + (roles.equals(ADMINS) ? "an admin" : "a host or an admin") + ".";
        }
    }

    static final List<Rule> RULES = List.of(
            new Rule(HttpMethod.GET, BASE + "/rooms", ROOMS_READ, HOSTS),
            new Rule(HttpMethod.POST, BASE + "/rooms", ROOMS_WRITE, HOSTS),
            new Rule(HttpMethod.GET, BASE + "/rooms/{id}", ROOMS_READ, HOSTS),
            new Rule(HttpMethod.PUT, BASE + "/rooms/{id}", ROOMS_WRITE, HOSTS),
            new Rule(HttpMethod.POST, BASE + "/rooms/{id}/cancel", ROOMS_WRITE, HOSTS),
            new Rule(HttpMethod.GET, BASE + "/rooms/{id}/recordings", ROOMS_READ, HOSTS),
            new Rule(HttpMethod.GET, BASE + "/recordings/{recordingId}", ROOMS_READ, HOSTS),
            new Rule(HttpMethod.GET, BASE + "/recordings/{recordingId}/download", ROOMS_READ, HOSTS),
            new Rule(HttpMethod.GET, BASE + "/meetings", MEETINGS_READ, HOSTS),
            new Rule(HttpMethod.GET, BASE + "/meetings/{roomId}", MEETINGS_READ, HOSTS),
            new Rule(HttpMethod.POST, BASE + "/meetings/{roomId}/end", MEETINGS_WRITE, HOSTS),
            new Rule(HttpMethod.DELETE, BASE + "/meetings/{roomId}/participants/{participantId}", MEETINGS_WRITE,
                    HOSTS),
            new Rule(HttpMethod.GET, BASE + "/users", USERS_READ, ADMINS),
            new Rule(HttpMethod.POST, BASE + "/users", USERS_WRITE, ADMINS),
            new Rule(HttpMethod.GET, BASE + "/users/{id}", USERS_READ, ADMINS),
            new Rule(HttpMethod.PUT, BASE + "/users/{id}/role", USERS_WRITE, ADMINS),
            new Rule(HttpMethod.POST, BASE + "/users/{id}/disable", USERS_WRITE, ADMINS),
            new Rule(HttpMethod.POST, BASE + "/users/{id}/enable", USERS_WRITE, ADMINS));

    private ApiAccess() {
    }

    static Optional<Rule> of(String method, String path) {
        return RULES.stream().filter(rule -> rule.method().name().equalsIgnoreCase(method) && rule.path().equals(path))
                .findFirst();
    }
}
