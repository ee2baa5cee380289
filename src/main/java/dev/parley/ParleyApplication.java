package dev.parley;

import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisRepositoriesAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

// Redis is used only when configured (dev.parley.cluster makes its connection): one node needs nothing but itself.
@SpringBootApplication(exclude = {RedisAutoConfiguration.class, RedisReactiveAutoConfiguration.class,
        RedisRepositoriesAutoConfiguration.class})
@ConfigurationPropertiesScan
@EnableScheduling
public class ParleyApplication {

    /** Netty's setting for tracking its buffers' leaks; see {@link #serverDefaults}. */
    static final String LEAK_DETECTION = "io.netty.leakDetection.level";
    /** The older names Netty still reads for the same setting. */
    static final List<String> OLD_LEAK_DETECTION = List.of("io.netty.leakDetectionLevel",
            "io.netty.noResourceLeakDetection");

    public static void main(String[] args) {
        serverDefaults();
        SpringApplication.run(ParleyApplication.class, args);
    }

    static void serverDefaults() {
        // Netty tracks one buffer in 128 for leaks by default, creating a Throwable whose stack is filled in for each:
        // on the relay loop under load (the media socket's buffers are Netty's), hundreds a second and about 1 % of
        // its CPU for a development aid. The server runs without it unless the operator sets it (by any of Netty's
        // names for it). Tests in the test JVM never come here; those that start Parley as a process set it again.
        if (System.getProperty(LEAK_DETECTION) == null
                && OLD_LEAK_DETECTION.stream().allMatch(name -> System.getProperty(name) == null)) {
            System.setProperty(LEAK_DETECTION, "disabled");
        }
    }
}
