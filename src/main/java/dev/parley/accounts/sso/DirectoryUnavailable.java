package dev.parley.accounts.sso;

import org.springframework.security.authentication.AuthenticationServiceException;

/** The LDAP directory could not be asked (down, unreachable, refused Parley's own bind): nobody's fault who signs in. */
public class DirectoryUnavailable extends AuthenticationServiceException {

    DirectoryUnavailable() {
        super("LDAP directory unavailable");
    }
}
