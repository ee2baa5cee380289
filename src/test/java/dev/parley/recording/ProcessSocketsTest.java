package dev.parley.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Reading a process's UDP ports from /proc: a table's rows by inode, and this test's own sockets as the kernel has
 * them.
 */
class ProcessSocketsTest {

    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void theRowsOfTheGivenInodesGiveTheirLocalPorts() {
        List<String> table = List.of(
                "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
                "  191: 0100007F:B060 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4242 2 0000000000000000 0",
                "  192: 00000000:14E9 00000000:0000 07 00000000:00000000 00:00000000 00000000   108        0 17 2 0000000000000000 0",
                " 1023: 00000000000000000000000001000000:0035 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 99 2 0000000000000000 0",
                "  193: 0100007F:zz 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4243 2 0000000000000000 0",
                "  194: truncated");

        assertThat(ProcessSockets.udpPorts(table, Set.of(4242L, 99L, 4243L))).containsExactly(53, 45152);
    }

    @Test
    void aSocketThisProcessBindsIsAmongItsPortsUntilClosed() throws Exception {
        assertThat(ProcessSockets.available()).as("Linux's /proc on this machine").isTrue();
        int port;
        int port6;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                DatagramSocket socket6 = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            port = socket.getLocalPort();
            port6 = socket6.getLocalPort();
            assertThat(ProcessSockets.udpPorts(SELF)).contains(port, port6);
        }
        assertThat(ProcessSockets.udpPorts(SELF)).doesNotContain(port, port6);
    }

    @Test
    void aProcessThatIsGoneHoldsNothing() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        assertThat(ProcessSockets.udpPorts(process.pid())).isEmpty();
    }
}
