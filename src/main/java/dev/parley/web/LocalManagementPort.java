package dev.parley.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Requests to the actuator on its own management port (the "management" profile binds it to 127.0.0.1) from a
 * loopback address: a local Prometheus scrapes there without signing in. On the main port the actuator stays admin-only.
 */
final class LocalManagementPort {

    private LocalManagementPort() {
    }

    static RequestMatcher matcher(int managementPort) {
        return request -> managementPort > 0
                && request.getLocalPort() == managementPort
                && request.getRequestURI().startsWith("/actuator/")
                && isLoopback(request.getRemoteAddr());
    }

    private static boolean isLoopback(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
