package dev.parley.common;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Makes every commit on an H2 database reach its file before the transaction returns. By default H2 keeps committed
 * transactions in memory and writes them out up to WRITE_DELAY (500 ms) later, so a process that is killed (kill -9,
 * the OOM killer, a container stopped hard) loses writes whose answer the user already saw; CrashSafetyTest shows it.
 * With WRITE_DELAY 0 each commit writes its changes to the file (through the operating system's cache: a killed
 * process loses nothing, a power cut may still lose the last moments). It is set whatever the configured URL says,
 * as soon as the data source exists, before Flyway or anything else writes. In-memory H2 and PostgreSQL are left alone.
 */
@Component
class H2Durability implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(H2Durability.class);

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource) {
            writeEveryCommit(dataSource);
        }
        return bean;
    }

    static void writeEveryCommit(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            String url = connection.getMetaData().getURL();
            if (url == null || !url.startsWith("jdbc:h2:") || url.startsWith("jdbc:h2:mem:")) {
                return;
            }
            try (Statement statement = connection.createStatement()) {
                // A database setting (kept in the database), applied to the open database at once.
                statement.execute("SET WRITE_DELAY 0");
            } catch (SQLException e) {
                log.warn("Could not set WRITE_DELAY 0 on the H2 database (the database user needs admin rights): "
                        + "writes of the last half second may be lost if Parley is killed. {}", e.getMessage());
            }
        } catch (SQLException unreachable) {
            // Flyway, next, reports a database it cannot reach.
        }
    }
}
