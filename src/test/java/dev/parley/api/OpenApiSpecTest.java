package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.parley.testing.ApiClient;
import dev.parley.testing.ParleyWebTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * The OpenAPI description as served: public, the same as the committed docs/openapi.json (run with
 * {@code -Dparley.openapi.write=true} to write the file anew after changing the API), naming every /api/v1 operation
 * the application maps, each with its scope from {@link ApiAccess}, the bearer scheme and the problem responses.
 */
@ParleyWebTest
class OpenApiSpecTest {

    static final Path COMMITTED = Path.of("docs/openapi.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    private JsonNode served() {
        ApiClient.Response response = new ApiClient(port).get(ApiAccess.SPEC, null);
        assertThat(response.status()).as("the description is public: %s", response).isEqualTo(200);
        return response.json();
    }

    @Test
    void theServedDescriptionIsTheCommittedOne() throws Exception {
        JsonNode served = served();
        if (Boolean.getBoolean("parley.openapi.write")) {
            Files.writeString(COMMITTED, JSON.writeValueAsString(JSON.treeToValue(served, Object.class)) + "\n");
        }
        assertThat(Files.exists(COMMITTED)).as("docs/openapi.json exists; write it with "
                + "mvn -o verify -Dtest=OpenApiSpecTest -Dparley.openapi.write=true").isTrue();
        JsonNode committed = JSON.readTree(Files.readString(COMMITTED));
        assertThat(served.equals(committed))
                .as("docs/openapi.json differs from the description the API serves at /api/v1/openapi.json. If the "
                        + "API changed on purpose, write the file anew and commit it: "
                        + "mvn -o verify -Dtest=OpenApiSpecTest -Dparley.openapi.write=true")
                .isTrue();
    }

    @Test
    void everyApiMappingIsDescribedWithItsScope() {
        JsonNode spec = served();
        Set<String> mapped = new TreeSet<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class)
                .values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                for (String pattern : info.getPatternValues()) {
                    if (pattern.startsWith(ApiAccess.BASE + "/") && !pattern.startsWith(ApiAccess.SPEC)) {
                        for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                            mapped.add(method.name() + " " + pattern);
                        }
                    }
                }
            }
        }
        Set<String> ruled = new TreeSet<>();
        ApiAccess.RULES.forEach(rule -> ruled.add(rule.method().name() + " " + rule.path()));
        assertThat(mapped).as("/api/v1 mappings vs. the rows of ApiAccess.RULES").isEqualTo(ruled);
        for (String operation : mapped) {
            String method = operation.substring(0, operation.indexOf(' ')).toLowerCase();
            String path = operation.substring(operation.indexOf(' ') + 1);
            JsonNode described = spec.path("paths").path(path).path(method);
            assertThat(described.isObject()).as("%s is in the OpenAPI description", operation).isTrue();
            assertThat(described.path("x-required-scope").asText())
                    .isEqualTo(ApiAccess.of(method, path).orElseThrow().scope().wireName());
            for (String status : new String[] {"401", "403", "429"}) {
                assertThat(described.path("responses").path(status).path("content")
                        .has("application/problem+json")).as("%s answers %s as a problem", operation, status).isTrue();
            }
        }
        JsonNode scheme = spec.path("components").path("securitySchemes").path(ApiDocs.SCHEME);
        assertThat(scheme.path("type").asText()).isEqualTo("http");
        assertThat(scheme.path("scheme").asText()).isEqualTo("bearer");
        assertThat(spec.path("security").get(0).has(ApiDocs.SCHEME)).isTrue();
    }
}
