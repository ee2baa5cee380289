package dev.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ParleyApplication;
import dev.parley.testing.WebSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * First start on an empty H2 file database creates an admin with a random password printed once; a restart on the same
 * files keeps everything and never creates another admin, even when PARLEY_ADMIN_* are set by then.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminBootstrapTest {

    private static final Pattern PRINTED_PASSWORD = Pattern.compile("password: (\\S{20})");

    @Test
    void randomFirstPasswordIsPrintedOnceAndTheDatabaseSurvivesRestarts(@TempDir Path dataDir, CapturedOutput output)
            throws Exception {
        String url = "jdbc:h2:file:" + dataDir.resolve("parley").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        String password;
        try (ConfigurableApplicationContext first = start(url, "", "")) {
            Matcher matcher = PRINTED_PASSWORD.matcher(output.getOut());
            assertThat(matcher.find()).as("the generated password is printed").isTrue();
            password = matcher.group(1);
            assertThat(output.getOut()).contains("admin@parley.local");
            new WebSession(port(first)).login("admin@parley.local", password);
        }
        assertThat(Files.list(dataDir)).isNotEmpty();
        int printedBefore = count(output.getOut(), "Parley created the first admin account");

        try (ConfigurableApplicationContext second = start(url, "other@parley.test", "Another-Strong-Phrase-77")) {
            assertThat(count(output.getOut(), "Parley created the first admin account")).isEqualTo(printedBefore);
            new WebSession(port(second)).login("admin@parley.local", password);
            WebSession.Page refused = new WebSession(port(second)).submit("/login", "/login",
                    Map.of("email", "other@parley.test", "password", "Another-Strong-Phrase-77"));
            assertThat(refused.location()).contains("error");
            assertThat(second.getBean(UserAccountRepository.class).count()).isEqualTo(1);
        }
    }

    @Test
    void adminFromEnvironmentIsCreatedWithoutPrintingAPassword(@TempDir Path dataDir, CapturedOutput output) {
        String url = "jdbc:h2:file:" + dataDir.resolve("parley").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        try (ConfigurableApplicationContext app = start(url, "Boss@Parley.test", "Saffron-Kettle-Nebula-31")) {
            assertThat(output.getOut()).doesNotContain("Saffron-Kettle-Nebula-31").doesNotContain("password: ");
            new WebSession(port(app)).login("boss@parley.test", "Saffron-Kettle-Nebula-31");
            assertThat(app.getBean(UserAccountRepository.class).findByEmail("boss@parley.test").orElseThrow().getRole())
                    .isEqualTo(Role.ADMIN);
        }
    }

    @Test
    void aRefusedPasswordIsRefusedInWordsAndNeverPrinted(@TempDir Path dataDir) {
        String url = "jdbc:h2:file:" + dataDir.resolve("parley").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        assertThatThrownBy(() -> start(url, "margaret@parley.test", "Margaret-Lighthouse-Orbit-4"))
                .isInstanceOf(IllegalStateException.class).hasMessage("PARLEY_ADMIN_PASSWORD is not accepted: Do not use your name or e-mail "
                        + "address in the password. Choose another, or leave it unset to get a random one.");
        assertThatThrownBy(() -> start(url, "boss@parley.test", "short"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Use at least 10 characters.").hasMessageNotContaining("short");
    }

    private static ConfigurableApplicationContext start(String url, String email, String password) {
        // Command-line arguments, so they win over application.yml like a real operator's settings would.
        return new SpringApplicationBuilder(ParleyApplication.class).run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.datasource.url=" + url,
                "--parley.admin.email=" + email,
                "--parley.admin.password=" + password,
                "--parley.media.port=0",
                "--parley.media.bind-address=127.0.0.1",
                "--parley.media.announced-addresses=127.0.0.1",
                "--logging.level.root=WARN",
                "--logging.level.dev.parley=INFO");
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }
}
