package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.WebSession;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Issue 8: a guest's display name follows the same readable-text rule as account names. */
@ParleyWebTest
class GuestNameTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Test
    void controlBidiAndInvisibleNamesAreRefused() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        String path = RoomForms.path(host.link(RoomForms.schedule(host.session(),
                RoomForms.valid("Guest names", ZoneId.of("Europe/Berlin"), 0))));
        WebSession guest = new WebSession(port);
        String token = guest.get(path).csrfToken();

        for (String name : List.of("Eve\u0000", "\u0007", "\u200B\u200B", "\u202EevE", "\u2066Eve\u2069", "\u3164")) {
            WebSession.Page refused = guest.post(path + "/ticket", token, Map.of("displayName", name));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body()).contains("\"display-name\"");
        }
        assertThat(guest.post(path + "/ticket", token, Map.of("displayName", "Ева 🎧")).status()).isEqualTo(200);
    }
}
