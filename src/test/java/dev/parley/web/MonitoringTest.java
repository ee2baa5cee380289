package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.loadgen.LoadGenerator;
import dev.parley.relay.TrafficTotals;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The monitoring that ships with Parley against the running application: every meter the Grafana dashboard queries
 * is one Parley exposes (a renamed meter would leave an empty panel), the dashboard's data source is the one Grafana is
 * provisioned with, Prometheus scrapes the management port and path Parley serves, and the liveness and readiness
 * probes answer publicly, readiness with the database and the relay.
 */
@ParleyWebTest
class MonitoringTest {

    private static final Path MONITORING = Path.of("docs/monitoring");
    /** PromQL's words that are not meters: functions, aggregations, modifiers. */
    private static final Set<String> PROMQL = Set.of("sum", "avg", "min", "max", "count", "rate", "irate",
            "increase", "by", "without", "on", "ignoring", "group_left", "group_right", "scalar", "vector", "and",
            "or", "unless", "histogram_quantile", "topk", "bottomk", "abs", "clamp_min", "clamp_max", "offset", "bool");

    @LocalServerPort
    int port;

    @Test
    void everyMeterTheDashboardQueriesExists() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(MONITORING.resolve("grafana/dashboards/parley.json").toFile());
        String provisioned = Files.readString(MONITORING.resolve("grafana/provisioning/datasources/prometheus.yml"));
        Map<String, String> expressions = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(provisioned).as("the data source of %s", panel.path("title"))
                    .contains("uid: " + panel.path("datasource").path("uid").asText());
            for (JsonNode target : panel.path("targets")) {
                expressions.put(panel.path("title").asText() + " " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        assertThat(expressions).hasSizeGreaterThan(10);

        // Participant meters exist only while someone is in a meeting, the layer meter only while videos flow: two
        // synthetic participants of the load generator send audio and video through the relay during the scrape.
        WebSession admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        Set<String> exposed = new TreeSet<>();
        StringBuilder lastScrape = new StringBuilder();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status = LoadGenerator.run(new String[] {
            "--server=http://127.0.0.1:" + port, "--admin-email=" + ParleyWebTest.ADMIN_EMAIL,
            "--admin-password=" + ParleyWebTest.ADMIN_PASSWORD, "--scenario=custom", "--rooms=1",
            "--participants=2", "--video-bitrate=200k", "--warmup=1s", "--duration=1s", "--settle-timeout=20s"
        }, new PrintStream(output, true, StandardCharsets.UTF_8), new PrintStream(output, true, StandardCharsets.UTF_8),
                () -> {
                    // The live statistics sample every 2 s; a few samples at most, until both receive a video (the
                    // first sample may come before the second participant's video reached the first).
                    for (int i = 0; i < 50 && videoStreams(lastScrape.toString()) < 2; i++) {
                        String body = admin.get("/actuator/prometheus", Map.of("Accept", "text/plain")).body();
                        exposed.clear();
                        exposed.addAll(names(body));
                        lastScrape.setLength(0);
                        lastScrape.append(body);
                        pause();
                    }
                });
        assertThat(status).as(output.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(lastScrape.toString().lines().filter(l -> l.startsWith("parley_participant_video_streams{")))
                .as("each of the two receives the other's one video, a stream without layers")
                .hasSize(2).allMatch(l -> l.contains("layer=\"single\"") && l.endsWith(" 1.0"));
        List<String> participantSeries = lastScrape.toString().lines()
                .filter(l -> l.startsWith("parley_participant_")).toList();
        assertThat(participantSeries.stream().filter(l -> l.startsWith("parley_participant_drops_total{")))
                .as("one drops series a participant, without reasons (those are relay-wide)")
                .hasSize(2).noneMatch(l -> l.contains("reason="));
        assertThat(participantSeries).as("a participant's series are few: every scrape's cost grows with them")
                .hasSizeLessThanOrEqualTo(2 * 11);
        assertThat(lastScrape.toString().lines().filter(l -> l.startsWith("parley_relay_drops_total{")))
                .as("the relay's drops, by reason").hasSize(TrafficTotals.DROP_REASONS.size());
        expressions.forEach((where, expr) -> {
            Set<String> meters = meters(expr);
            assertThat(meters).as("%s queries some meter: %s", where, expr).isNotEmpty();
            assertThat(exposed).as("%s: %s", where, expr).containsAll(meters);
        });
    }

    private static Set<String> names(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static long videoStreams(String exposition) {
        return exposition.lines().filter(l -> l.startsWith("parley_participant_video_streams{")).count();
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void prometheusScrapesWhatTheManagementProfileServes() throws Exception {
        String prometheus = Files.readString(MONITORING.resolve("prometheus.yml"));
        String management = Files.readString(Path.of("src/main/resources/application-management.yml"));
        Matcher defaultPort = Pattern.compile("PARLEY_MANAGEMENT_PORT:(\\d+)").matcher(management);
        assertThat(defaultPort.find()).isTrue();
        assertThat(prometheus).contains("metrics_path: /actuator/prometheus")
                .contains("\"parley:" + defaultPort.group(1) + "\"");
        String compose = Files.readString(Path.of("docker-compose.yml"));
        assertThat(compose).contains("SPRING_PROFILES_ACTIVE: postgres,management")
                .contains("./docs/monitoring/prometheus.yml:/etc/prometheus/prometheus.yml")
                .contains("./docs/monitoring/grafana/dashboards:/var/lib/grafana/dashboards");
    }

    @Test
    void livenessAndReadinessArePublicAndReadinessAsksTheRelay() {
        WebSession anonymous = new WebSession(port);
        for (String probe : new String[] {"liveness", "readiness"}) {
            WebSession.Page page = anonymous.get("/actuator/health/" + probe);
            assertThat(page.status()).as(probe).isEqualTo(200);
            assertThat(page.body()).as(probe).contains("\"status\":\"UP\"").doesNotContain("components");
        }
        WebSession admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        String readiness = admin.get("/actuator/health/readiness").body();
        assertThat(readiness).contains("\"relay\":{\"status\":\"UP\"").contains("\"db\":");
        assertThat(admin.get("/actuator/health/liveness").body()).doesNotContain("\"relay\"");
    }

    /** The meter names in a PromQL expression: its identifiers outside label matchers, by/on lists and ranges. */
    static Set<String> meters(String expr) {
        String bare = expr.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|on|without|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = Pattern.compile("\\b[a-zA-Z_:][a-zA-Z0-9_:]*\\b").matcher(bare);
        while (identifier.find()) {
            String word = identifier.group();
            if (!PROMQL.contains(word) && !word.matches("e\\d+")) {
                names.add(word);
            }
        }
        return names;
    }
}
