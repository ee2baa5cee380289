package dev.parley.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.AccountService;
import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * "At least one active admin" under truly concurrent requests: the only two admins of a fresh database demote (or
 * disable) each other at the same moment, over real HTTP, many times. Each database gets a subclass with a database
 * of its own, since the rule is about every admin in it.
 */
abstract class LastAdminRaceContract {

    private static final int ROUNDS = 30;

    @LocalServerPort
    int port;

    @Autowired
    AccountService accounts;

    @Autowired
    UserAccountRepository users;

    @Autowired
    Fixtures fixtures;

    @Test
    void twoAdminsRemovingEachOtherAtOnceAlwaysLeaveOne() throws Exception {
        UserAccount first = users.findByEmail(ParleyWebTest.ADMIN_EMAIL).orElseThrow();
        UserAccount second = fixtures.user(Role.ADMIN);
        assertThat(users.countByRoleAndEnabledTrue(Role.ADMIN)).as("a database of this test's own").isEqualTo(2);
        WebSession[] sessions = {new WebSession(port).login(first.getEmail(), ParleyWebTest.ADMIN_PASSWORD),
                fixtures.signIn(second)};

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                boolean disable = round % 2 == 1;
                WebSession firstSession = sessions[0];
                WebSession secondSession = sessions[1];
                String firstToken = firstSession.get("/admin/users/" + second.getId()).csrfToken();
                String secondToken = secondSession.get("/admin/users/" + first.getId()).csrfToken();
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<WebSession.Page>> results = List.of(
                        pool.submit(() -> remove(firstSession, firstToken, second.getId(), disable, start)),
                        pool.submit(() -> remove(secondSession, secondToken, first.getId(), disable, start)));
                for (Future<WebSession.Page> result : results) {
                    // 403 when the other's change landed first and this admin's request already saw itself demoted.
                    assertThat(result.get(30, TimeUnit.SECONDS).status()).isIn(302, 403);
                }

                List<UserAccount> admins = List.of(users.findById(first.getId()).orElseThrow(),
                        users.findById(second.getId()).orElseThrow()).stream()
                        .filter(a -> a.getRole() == Role.ADMIN && a.isEnabled()).toList();
                assertThat(admins).as("active admins after round %d (%s)", round, disable ? "disable" : "demote")
                        .hasSize(1);
                assertThat(users.countByRoleAndEnabledTrue(Role.ADMIN)).isEqualTo(1);

                UserAccount survivor = admins.get(0);
                long removed = survivor.getId().equals(first.getId()) ? second.getId() : first.getId();
                if (disable) {
                    accounts.setEnabled(removed, true, survivor.getId());
                    // Being disabled ended that admin's session: sign in again.
                    if (removed == first.getId()) {
                        sessions[0] = new WebSession(port).login(first.getEmail(), ParleyWebTest.ADMIN_PASSWORD);
                    } else {
                        sessions[1] = fixtures.signIn(second);
                    }
                } else {
                    accounts.changeRole(removed, Role.ADMIN, survivor.getId());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static WebSession.Page remove(WebSession admin, String token, long otherId, boolean disable,
                                          CyclicBarrier start) throws Exception {
        start.await(10, TimeUnit.SECONDS);
        return disable
                ? admin.post("/admin/users/" + otherId + "/enabled", token, Map.of("enabled", "false"))
                : admin.post("/admin/users/" + otherId + "/role", token, Map.of("role", "MEMBER"));
    }
}
