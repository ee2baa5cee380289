package dev.parley.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.testing.Coturn;
import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public-address probe against Debian's coturn as the STUN server, and against a port where nobody answers. */
class StunProbeTest {

    @Test
    void coturnTellsTheAddressTheRequestCameFrom() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (Coturn coturn = Coturn.start(null, "127.0.0.1", "127.0.0.1", port, "stun-probe-test-secret-0123",
                List.of(), new File("target/stun-probe-test"))) {
            InetSocketAddress seen = StunProbe.mappedAddress(new InetSocketAddress("127.0.0.1", coturn.port()),
                    InetAddress.getLoopbackAddress(), Duration.ofSeconds(5));

            assertThat(seen.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(seen.getPort()).isPositive();
        }
    }

    @Test
    void silenceEndsInAnErrorThatNamesTheServer() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
            assertThatThrownBy(() -> StunProbe.mappedAddress(server, InetAddress.getLoopbackAddress(),
                    Duration.ofMillis(1200))).isInstanceOf(IOException.class).hasMessageContaining("no answer")
                    .hasMessageContaining(String.valueOf(silent.getLocalPort()));
        }
    }
}
