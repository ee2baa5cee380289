package dev.parley.relay.tcp;

import dev.parley.relay.RelayConfig;

/** Every ICE-TCP test again with the JDK media socket, whose loop selects the ICE-TCP channels itself. */
class IceTcpOnJdkSocketTest extends IceTcpTest {

    @Override
    RelayConfig loopback() {
        return RelayConfig.loopback().withSocket(RelayConfig.SocketKind.JDK);
    }
}
