package dev.parley.tls;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Gives requests that came through the shared HTTPS port their client's address instead of 127.0.0.1, as
 * RemoteIpValve does from a header, but from {@link ProxiedClients}: nothing the client sends can choose it. It runs
 * before every other valve, so the forwarded-header valve then sees the real client, not a trusted loopback proxy.
 */
final class ProxiedClientValve extends ValveBase {

    private static final String[] FORWARDING_HEADERS = {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
        "x-forwarded-port", "x-forwarded-by", "forwarded"};

    private final ProxiedClients clients;

    ProxiedClientValve(ProxiedClients clients) {
        super(true);
        this.clients = clients;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if (request.getLocalPort() == clients.webServerPort() && "127.0.0.1".equals(request.getRemoteAddr())) {
            InetSocketAddress client = clients.client(request.getRemotePort());
            if (client != null) {
                String address = client.getAddress().getHostAddress();
                request.setRemoteAddr(address);
                request.setRemoteHost(address);
            } else {
                // A connection whose client is no longer known (it went away as the request came): from loopback it
                // would be believed about forwarding, so it is not told about it.
                for (String header : FORWARDING_HEADERS) {
                    request.getCoyoteRequest().getMimeHeaders().removeHeader(header);
                }
            }
        }
        getNext().invoke(request, response);
    }
}
