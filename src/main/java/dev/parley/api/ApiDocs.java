package dev.parley.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * The OpenAPI description served at /api/v1/openapi.json (springdoc, from the controllers), with what the
 * controllers cannot say themselves: the bearer scheme, each operation's scope and role from {@link ApiAccess}, and
 * the problem details every operation may answer. docs/openapi.json is a copy that OpenApiSpecTest keeps current.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocs {

    static final String SCHEME = "bearerToken";
    private static final String PROBLEM = "application/problem+json";

    @Bean
    OpenAPI parleyOpenApi() {
        String scopes = Arrays.stream(ApiScope.values())
                .map(scope -> "`" + scope.wireName() + "`" + (scope.adminOnly() ? " (admins only)" : ""))
                .collect(Collectors.joining(", "));
        return new OpenAPI()
                .info(new Info().title("Parley API").version("v1")
                        .description("Rooms, their recordings, meetings under way and users of a Parley server. "
                                + "Every request carries a token made on the profile page: `Authorization: Bearer <token>`. "
                                + "A token acts as its owner as their account is at each request, within its "
                                + "scopes: " + scopes + ". Errors are problem details (RFC 9457). See docs/api.md.")
                        .license(new License().name("Parley")))
                .servers(List.of(new Server().url("/").description("this Parley server")))
                .components(new Components()
                        .addSecuritySchemes(SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").bearerFormat("opaque, parley_…")
                                .description("A personal or service token from the profile page."))
                        .addSchemas("Problem", problemSchema()))
                .addSecurityItem(new SecurityRequirement().addList(SCHEME));
    }

    /**
     * Each operation's scope and role, and the problem responses, from the one table of rules; the tags by name, so
     * that the description is the same byte for byte wherever it is made (springdoc lists them as it finds them).
     */
    @Bean
    OpenApiCustomizer parleyOperationRules() {
        return openApi -> {
            Map<String, PathItem> paths = openApi.getPaths() == null ? Map.of() : openApi.getPaths();
            paths.forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                    ApiAccess.of(method.name(), path).ifPresent(rule -> describe(operation, rule))));
            if (openApi.getTags() != null) {
                openApi.getTags().sort(Comparator.comparing(Tag::getName));
            }
        };
    }

    private static void describe(Operation operation, ApiAccess.Rule rule) {
        String description = operation.getDescription() == null ? "" : operation.getDescription() + " ";
        operation.setDescription(description + rule.describe());
        operation.addExtension("x-required-scope", rule.scope().wireName());
        operation.addExtension("x-required-roles", List.of(rule.roleNames()));
        boolean changes = rule.method() != HttpMethod.GET;
        Map<String, String> problems = new LinkedHashMap<>();
        problems.put("400", "Invalid request: unreadable JSON, a wrong value in the path or query, or field errors "
                + "in `errors`");
        problems.put("401", "No token, or one that is unknown, expired or revoked (WWW-Authenticate: Bearer)");
        problems.put("403", "The token lacks the scope, or its owner the role, or the room is someone else's");
        if (rule.path().contains("{")) {
            problems.put("404", "No such room, user, meeting, participant or recording");
        }
        if (rule.path().endsWith("/download")) {
            problems.put("409", "The recording is not ready (still recorded or composed, or failed)");
        }
        if (changes && rule.path().startsWith(ApiAccess.BASE + "/users")) {
            problems.put("409", "Taken, or not possible now (the last admin, yourself)");
        }
        if (changes) {
            problems.put("411", "A body of unknown length (chunked)");
            problems.put("413", "A body over 64 KiB");
        }
        problems.put("429", "The token's request allowance is spent (Retry-After)");
        problems.forEach((status, text) -> {
            if (operation.getResponses().get(status) == null) {
                operation.getResponses().addApiResponse(status, new ApiResponse().description(text)
                        .content(new Content().addMediaType(PROBLEM,
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")))));
            }
        });
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        ObjectSchema error = new ObjectSchema();
        error.addProperty("field", new StringSchema());
        error.addProperty("message", new StringSchema());
        return new ObjectSchema().description("A problem detail (RFC 9457)")
                .addProperty("type", new StringSchema().example("about:blank"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty("errors", new ArraySchema().items(error));
    }
}
