package dev.parley.accounts.sso;

import dev.parley.accounts.ParleyUser;
import dev.parley.accounts.UserAccount;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ldap.core.DirContextAdapter;
import org.springframework.ldap.core.DirContextOperations;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.ldap.DefaultSpringSecurityContextSource;
import org.springframework.security.ldap.authentication.BindAuthenticator;
import org.springframework.security.ldap.authentication.LdapAuthenticationProvider;
import org.springframework.security.ldap.authentication.NullLdapAuthoritiesPopulator;
import org.springframework.security.ldap.search.FilterBasedLdapUserSearch;
import org.springframework.security.ldap.userdetails.DefaultLdapAuthoritiesPopulator;
import org.springframework.security.ldap.userdetails.LdapAuthoritiesPopulator;
import org.springframework.security.ldap.userdetails.UserDetailsContextMapper;

/**
 * Sign-in with an LDAP directory's password, through the same form as Parley's own passwords: Spring Security's bind
 * authentication (the directory checks the password by a bind as the person), then the person's Parley account by
 * their entry's DN ({@link ExternalSignIns}), with the role their groups give. A directory that cannot be asked gives
 * {@link DirectoryUnavailable}, so the login page says so instead of "wrong password"; the log says why.
 */
class LdapSignIn implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(LdapSignIn.class);

    private final SsoProperties.Ldap settings;
    private final LdapAuthenticationProvider ldap;

    LdapSignIn(SsoProperties.Ldap settings, ExternalSignIns signIns, Clock clock) {
        this.settings = settings;
        String timeout = Long.toString(settings.timeout().toMillis());
        DefaultSpringSecurityContextSource directory = new DefaultSpringSecurityContextSource(
                List.of(settings.url().strip()), settings.base() == null ? "" : settings.base().strip());
        directory.setBaseEnvironmentProperties(Map.of("com.sun.jndi.ldap.connect.timeout", timeout,
                "com.sun.jndi.ldap.read.timeout", timeout));
        if (settings.managerDn() != null && !settings.managerDn().isBlank()) {
            directory.setUserDn(settings.managerDn());
            directory.setPassword(settings.managerPassword() == null ? "" : settings.managerPassword());
        }
        directory.setPooled(false);
        directory.afterPropertiesSet();

        BindAuthenticator authenticator = new BindAuthenticator(directory);
        if (settings.userDnPattern() != null && !settings.userDnPattern().isBlank()) {
            authenticator.setUserDnPatterns(new String[] {settings.userDnPattern().strip()});
        }
        if (settings.userSearchFilter() != null && !settings.userSearchFilter().isBlank()) {
            authenticator.setUserSearch(new FilterBasedLdapUserSearch(
                    settings.userSearchBase() == null ? "" : settings.userSearchBase().strip(),
                    settings.userSearchFilter().strip(), directory));
        }
        LdapAuthoritiesPopulator groups = new NullLdapAuthoritiesPopulator();
        if (settings.groupSearchBase() != null) {
            DefaultLdapAuthoritiesPopulator search = new DefaultLdapAuthoritiesPopulator(directory,
                    settings.groupSearchBase().strip());
            search.setGroupSearchFilter(settings.groupSearchFilter());
            search.setGroupRoleAttribute(settings.groupNameAttribute());
            search.setRolePrefix("");
            search.setConvertToUpperCase(false);
            search.setSearchSubtree(true);
            search.setIgnorePartialResultException(true);
            groups = search;
        }
        this.ldap = new LdapAuthenticationProvider(authenticator, groups);
        this.ldap.setUserDetailsContextMapper(new AccountMapper(settings, signIns, clock));
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        try {
            return ldap.authenticate(authentication);
        } catch (AuthenticationServiceException e) {
            log.warn("The LDAP directory {} cannot be asked: {}", settings.url(), e.getMessage());
            throw new DirectoryUnavailable();
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /** The directory entry of a person whose password the directory accepted, to their Parley account. */
    private record AccountMapper(SsoProperties.Ldap settings, ExternalSignIns signIns, Clock clock)
            implements UserDetailsContextMapper {

        @Override
        public UserDetails mapUserFromContext(DirContextOperations entry, String username,
                                              Collection<? extends GrantedAuthority> authorities) {
            List<String> groups = authorities.stream().map(GrantedAuthority::getAuthority).toList();
            Optional<dev.parley.accounts.Role> role = settings.roles().roleFor(groups);
            ExternalPerson person = new ExternalPerson(ExternalIdentity.LDAP_ISSUER, entry.getNameInNamespace(),
                    entry.getStringAttribute(settings.emailAttribute()), true,
                    entry.getStringAttribute(settings.nameAttribute()), role, settings.defaultRole(),
                    settings.linkByEmail(), "LDAP");
            UserAccount account = signIns.signIn(person);
            Instant now = clock.instant();
            if (account.isLockedAt(now)) {
                throw new LockedException("locked");
            }
            return new ParleyUser(account, now);
        }

        @Override
        public void mapUserToContext(UserDetails user, DirContextAdapter context) {
            throw new UnsupportedOperationException("Parley does not write to the directory");
        }
    }
}
