package dev.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The cost of password hashes: OWASP's recommendation unless configured, and a stored hash of a lower cost (or a
 * bcrypt one) made again at the cost configured when its account signs in over HTTP. The tests' own cost is lower
 * than the default (application-test.yml), which is what lets the second case see an upgrade.
 */
@ParleyWebTest
class PasswordHashingTest {

    @Autowired
    Fixtures fixtures;

    @Autowired
    UserAccountRepository users;

    @Autowired
    PasswordEncoder passwordEncoder;

    @Test
    void byDefaultAHashIsArgon2idAtOwaspsRecommendedCost() {
        AccountProperties.PasswordHashing cost = bind(Map.of()).security().passwordHashing();
        assertThat(cost.weak()).isFalse();
        String hash = new Argon2PasswordEncoder(16, 32, cost.parallelism(), cost.memoryKib(), cost.iterations())
                .encode(Fixtures.PASSWORD);
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void aCostThatArgon2CannotUseIsRefusedAtStart() {
        assertThatThrownBy(() -> bind(Map.of("parley.security.password-hashing.iterations", "0")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("iterations at least 1");
        assertThatThrownBy(() -> bind(Map.of("parley.security.password-hashing.memory-kib", "4")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("memory-kib=4");
        assertThatThrownBy(() -> bind(Map.of("parley.security.password-hashing.max-concurrent", "-1")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("must not be negative");
        assertThat(bind(Map.of("parley.security.password-hashing.max-concurrent", "5")).security().passwordHashing()
                .concurrency(512L << 20, 2)).as("set, whatever the heap").isEqualTo(5);
        assertThat(bind(Map.of()).security().passwordHashing().concurrency(512L << 20, 2)).as("from the heap")
                .isEqualTo(3);
        assertThat(bind(Map.of()).security().passwordHashing().maxWait())
                .as("waits its turn by default").hasSeconds(10);
        assertThat(bind(Map.of("parley.security.password-hashing.memory-kib", "4096")).security().passwordHashing()
                .weak()).as("below OWASP's recommendation: warned about").isTrue();
        assertThat(bind(Map.of("parley.security.password-hashing.memory-kib", "47104",
                "parley.security.password-hashing.iterations", "1")).security().passwordHashing().weak())
                .as("another of OWASP's recommended settings").isFalse();
    }

    @Test
    void aHashOfALowerCostOrOfBcryptIsMadeAgainAtTheNextSignIn() {
        String lower = "{argon2}" + new Argon2PasswordEncoder(16, 32, 1, 512, 1).encode(Fixtures.PASSWORD);
        String bcrypt = "{bcrypt}" + new BCryptPasswordEncoder(4).encode(Fixtures.PASSWORD);
        for (String stored : new String[] {lower, bcrypt}) {
            UserAccount account = fixtures.user(Role.MEMBER);
            String configured = users.findById(account.getId()).orElseThrow().getPasswordHash();
            assertThat(configured).as("as the tests configure it").startsWith("{argon2}$argon2id$v=19$m=1024,t=1,p=1$");
            UserAccount before = users.findById(account.getId()).orElseThrow();
            before.setPasswordHash(stored);
            users.save(before);

            fixtures.signIn(account); // over HTTP, with the password

            String after = users.findById(account.getId()).orElseThrow().getPasswordHash();
            assertThat(after).as("made again from %s", stored).isNotEqualTo(stored)
                    .startsWith("{argon2}$argon2id$v=19$m=1024,t=1,p=1$");
            assertThat(passwordEncoder.matches(Fixtures.PASSWORD, after)).isTrue();
        }
    }

    private static AccountProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("parley",
                AccountProperties.class);
    }
}
