package dev.parley.cluster;

import dev.parley.common.AttemptLimits;
import dev.parley.common.RateLimits;
import io.lettuce.core.RedisURI;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;

/**
 * One node or several. With {@code PARLEY_REDIS_URL} set, this node shares with the others what a browser may bring
 * to any of them: its HTTP session (Spring Session in Redis, which Spring Boot sets up once a connection exists;
 * sign-in, CSRF token, passcode unlocks), the {@link SharedState} (join tickets' key and spent nonces), the attempt
 * limits (failed sign-ins, passcodes, password resets, resumes) and the {@link RateLimits} (the API's per-token
 * allowance). Without it, nothing connects to Redis and all of them stay in this process, as for one node.
 */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ClusterConfiguration.class);
    /** Live entries one node keeps at most (spent join tickets: each lives two minutes). */
    private static final int LOCAL_CAPACITY = 200_000;
    /** Allowances one node keeps at most (API tokens: few). */
    private static final int LOCAL_RATE_KEYS = 10_000;
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final String CLUSTERED = "!'${parley.cluster.redis-url:}'.isBlank()";

    /**
     * Commands wait {@link #COMMAND_TIMEOUT} at most (Lettuce's default is a minute): while Redis cannot be reached,
     * a page or a join that needs it fails in seconds instead of hanging. Parley sends no blocking command.
     */
    @Bean
    @ConditionalOnExpression(CLUSTERED)
    LettuceConnectionFactory redisConnectionFactory(@Value("${parley.cluster.redis-url}") String url) {
        RedisURI uri = RedisURI.create(url);
        return new LettuceConnectionFactory(LettuceConnectionFactory.createRedisConfiguration(uri),
                LettuceClientConfiguration.builder().apply(uri).commandTimeout(COMMAND_TIMEOUT).build());
    }

    /** The one template every Redis-backed part of a node shares (Spring Session keeps its own). */
    @Bean
    @ConditionalOnExpression(CLUSTERED)
    StringRedisTemplate clusterRedis(RedisConnectionFactory factory) {
        return new StringRedisTemplate(factory);
    }

    @Bean
    SharedState sharedState(ObjectProvider<StringRedisTemplate> redis, Clock clock,
                            @Value("${parley.cluster.namespace}") String namespace) {
        StringRedisTemplate template = redis.getIfAvailable();
        if (template == null) {
            return new LocalSharedState(clock, LOCAL_CAPACITY);
        }
        log.info("Sessions and join tickets are shared with other nodes through Redis (namespace \"{}\")", namespace);
        return new RedisSharedState(template, namespace);
    }

    @Bean
    AttemptLimits attemptLimits(ObjectProvider<StringRedisTemplate> redis,
                                @Value("${parley.cluster.namespace}") String namespace) {
        StringRedisTemplate template = redis.getIfAvailable();
        if (template == null) {
            return AttemptLimits.inMemory();
        }
        return (name, maxFailures, window, block, backOff, capacity) -> new RedisAttemptLimiter(template,
                namespace + ":attempts:" + name + ":", maxFailures, window, block, backOff);
    }

    @Bean
    RateLimits rateLimits(@Value("${parley.cluster.redis-url:}") String url,
                          @Value("${parley.cluster.namespace}") String namespace) {
        return url.isBlank() ? RateLimits.inMemory(LOCAL_RATE_KEYS) : new RedisRateLimits(url, namespace);
    }

    /**
     * The session cookie as for one node (name, HttpOnly, SameSite), Secure on HTTPS requests or always with
     * {@code PARLEY_COOKIE_SECURE}. Spring Boot's own mapping would turn {@code secure: false} into "never Secure".
     */
    @Bean
    @ConditionalOnExpression(CLUSTERED)
    CookieSerializer sessionCookie(@Value("${server.servlet.session.cookie.name}") String name,
                                   @Value("${server.servlet.session.cookie.secure}") boolean secure) {
        DefaultCookieSerializer cookie = new DefaultCookieSerializer();
        cookie.setCookieName(name);
        cookie.setUseHttpOnlyCookie(true);
        cookie.setSameSite("Lax");
        cookie.setCookiePath("/");
        cookie.setUseBase64Encoding(false);
        if (secure) {
            cookie.setUseSecureCookie(true);
        }
        return cookie;
    }
}
