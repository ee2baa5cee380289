package dev.parley.cluster;

import dev.parley.common.AttemptLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * {@link AttemptLimiter} of every node together: one Redis hash per key (failures in the window, its start, the block's
 * end, blocks so far), changed by one script so that nodes counting at the same moment do not lose a failure. A key
 * is forgotten by Redis once it blocks nothing and its failures are out of mind (the window, or a day with back-off).
 */
final class RedisAttemptLimiter implements AttemptLimiter {

    /**
     * KEYS[1] the hash; ARGV: now, window, block, longest block (milliseconds), the limit, back-off (1 or 0), how long
     * an idle key is remembered. Returns the end of the block this failure started, or -1.
     */
    private static final RedisScript<Long> RECORD_FAILURE = RedisScript.of("""
            local now = tonumber(ARGV[1])
            local window = tonumber(ARGV[2])
            local block = tonumber(ARGV[3])
            local longest = tonumber(ARGV[4])
            local limit = tonumber(ARGV[5])
            local memory = tonumber(ARGV[7])
            local blocked = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
            if blocked > now then
              return -1
            end
            local start = tonumber(redis.call('HGET', KEYS[1], 'start') or '-1')
            local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
            if start < 0 or now >= start + window then
              start = now
              failures = 0
            end
            failures = failures + 1
            if failures < limit then
              redis.call('HSET', KEYS[1], 'start', start, 'failures', failures)
              redis.call('PEXPIRE', KEYS[1], memory)
              return -1
            end
            local blocks = tonumber(redis.call('HGET', KEYS[1], 'blocks') or '0') + 1
            local length = block
            if ARGV[6] == '1' then
              for i = 2, blocks do
                if length >= longest then break end
                length = length * 2
              end
              if length > longest then length = longest end
            end
            redis.call('HSET', KEYS[1], 'until', now + length, 'blocks', blocks, 'failures', 0, 'start', -1)
            redis.call('PEXPIRE', KEYS[1], math.max(memory, length))
            return now + length
            """, Long.class);

    private final StringRedisTemplate redis;
    private final String prefix;
    private final int maxFailures;
    private final Duration window;
    private final Duration block;
    private final boolean backOff;

    RedisAttemptLimiter(StringRedisTemplate redis, String prefix, int maxFailures, Duration window, Duration block,
                        boolean backOff) {
        AttemptLimiter.checkLimits(maxFailures, window, block);
        this.redis = redis;
        this.prefix = prefix;
        this.maxFailures = maxFailures;
        this.window = window;
        this.block = block;
        this.backOff = backOff;
    }

    @Override
    public Optional<Instant> blockedUntil(String key, Instant now) {
        Object until = redis.opsForHash().get(prefix + key, "until");
        if (until == null) {
            return Optional.empty();
        }
        Instant end = Instant.ofEpochMilli(Long.parseLong(until.toString()));
        return now.isBefore(end) ? Optional.of(end) : Optional.empty();
    }

    @Override
    public Optional<Instant> recordFailure(String key, Instant now) {
        // With back-off a key is remembered for a day after its last failure, so repeated blocks keep growing.
        Duration memory = backOff ? LONGEST_BLOCK : window;
        Long end = redis.execute(RECORD_FAILURE, List.of(prefix + key), String.valueOf(now.toEpochMilli()),
                String.valueOf(window.toMillis()), String.valueOf(block.toMillis()),
                String.valueOf(LONGEST_BLOCK.toMillis()), String.valueOf(maxFailures), backOff ? "1" : "0",
                String.valueOf(memory.toMillis()));
        return end == null || end < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(end));
    }

    @Override
    public void reset(String key) {
        redis.delete(prefix + key);
    }

    @Override
    public void resetPrefix(String keyPrefix) {
        List<String> found = new ArrayList<>();
        ScanOptions options = ScanOptions.scanOptions().match(glob(prefix + keyPrefix) + "*").count(500).build();
        try (Cursor<String> keys = redis.scan(options)) {
            keys.forEachRemaining(found::add);
        }
        if (!found.isEmpty()) {
            redis.delete(found);
        }
    }

    /** The text as a Redis glob pattern that matches only itself. */
    private static String glob(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
