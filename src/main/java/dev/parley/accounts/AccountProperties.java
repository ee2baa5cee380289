package dev.parley.accounts;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

@ConfigurationProperties(prefix = "parley")
public record AccountProperties(@DefaultValue Admin admin, @DefaultValue Security security) {

    public record Admin(String email, String password) {
        @Override
        public String toString() {
            return "Admin[email=" + email + ", password=" + (password == null || password.isEmpty() ? "unset" : "***") + "]";
        }
    }

    /**
     * Failed sign-ins are limited per e-mail and client address (maxFailedLogins), per client address whatever the
     * e-mail (maxFailedLoginsPerAddress) and per e-mail from all addresses together (maxFailedLoginsPerAccount, which
     * also locks the account); each limit counts within lockoutDuration and blocks for as long.
     */
    public record Security(@DefaultValue("5") int maxFailedLogins,
                           @DefaultValue("20") int maxFailedLoginsPerAddress,
                           @DefaultValue("50") int maxFailedLoginsPerAccount,
                           @DefaultValue("15m") Duration lockoutDuration,
                           @DefaultValue("14d") Duration rememberMeValidity,
                           @DefaultValue PasswordHashing passwordHashing) {
    }

    /**
     * The cost of an Argon2id hash (passwords and room passcodes): memory in KiB, passes over it, and lanes. The
     * defaults are OWASP's first recommendation (19 MiB, 2 passes, 1 lane). A hash made at a lower cost than these is
     * made again at the next sign-in, so raising them reaches every account that signs in. At most maxConcurrent
     * hashes run at once (0: as many as fit in an eighth of the heap, at most two per core), each holding its memory
     * on the heap; one beyond waits its turn up to maxWait, then is told to try again shortly.
     */
    public record PasswordHashing(@DefaultValue("19456") int memoryKib,
                                  @DefaultValue("2") int iterations,
                                  @DefaultValue("1") int parallelism,
                                  @DefaultValue("0") int maxConcurrent,
                                  @DefaultValue("10s") Duration maxWait) {

        /**
         * OWASP's Password Storage Cheat Sheet recommends Argon2id at 47,104 KiB and 1 pass, 19,456 and 2, 12,288 and
         * 3, 9,216 and 4, or 7,168 and 5, which it holds equal: memory times passes of 35,840 KiB or more, on at least
         * 7,168 KiB.
         */
        public static final int RECOMMENDED_MEMORY_KIB = 19456;
        private static final long RECOMMENDED_MEMORY_TIMES_PASSES = 35840;
        private static final int RECOMMENDED_MIN_MEMORY_KIB = 7168;

        public PasswordHashing {
            if (iterations < 1 || parallelism < 1 || parallelism > 16 || memoryKib < 8 * parallelism
                    || memoryKib > 4 * 1024 * 1024) {
                throw new IllegalArgumentException("parley.security.password-hashing: memory-kib must be at least 8 "
                        + "per lane and at most 4 GiB, iterations at least 1, parallelism 1 to 16 (got memory-kib="
                        + memoryKib + ", iterations=" + iterations + ", parallelism=" + parallelism + ")");
            }
            if (maxConcurrent < 0 || maxWait.isNegative()) {
                throw new IllegalArgumentException("parley.security.password-hashing: max-concurrent and max-wait "
                        + "must not be negative (got " + maxConcurrent + " and " + maxWait + ")");
            }
        }

        /** How many hashes may run at once in a JVM of this heap and this many cores. */
        public int concurrency(long maxHeapBytes, int processors) {
            return maxConcurrent > 0 ? maxConcurrent
                    : BoundedPasswordEncoder.boundFor(maxHeapBytes, memoryKib, processors);
        }

        /** Below OWASP's recommendation: cheaper to guess from a stolen database. */
        public boolean weak() {
            return memoryKib < RECOMMENDED_MIN_MEMORY_KIB
                    || (long) memoryKib * iterations < RECOMMENDED_MEMORY_TIMES_PASSES;
        }
    }
}
