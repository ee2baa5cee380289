package dev.parley.tls;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is really behind each connection the shared HTTPS port passes to the web server: the web server sees them all
 * come from 127.0.0.1, each from its own local port, so that port names the client. An entry lives as long as its
 * connection.
 */
final class ProxiedClients {

    private final Map<Integer, InetSocketAddress> byLocalPort = new ConcurrentHashMap<>();
    private volatile int webServerPort = -1;

    void webServerPort(int port) {
        webServerPort = port;
    }

    /** The web server's internal port, or -1 before it started. */
    int webServerPort() {
        return webServerPort;
    }

    void opened(int localPort, InetSocketAddress client) {
        byLocalPort.put(localPort, client);
    }

    void closed(int localPort, InetSocketAddress client) {
        byLocalPort.remove(localPort, client);
    }

    /** The client behind a connection from 127.0.0.1 and this port, or null when it did not come that way. */
    InetSocketAddress client(int localPort) {
        return byLocalPort.get(localPort);
    }

    int size() {
        return byLocalPort.size();
    }
}
