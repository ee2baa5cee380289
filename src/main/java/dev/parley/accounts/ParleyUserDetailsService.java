package dev.parley.accounts;

import java.time.Clock;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsPasswordService;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class ParleyUserDetailsService implements UserDetailsService, UserDetailsPasswordService {

    private final UserAccountRepository users;
    private final Clock clock;

    public ParleyUserDetailsService(UserAccountRepository users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String username) {
        return users.findByEmail(UserAccount.normaliseEmail(username))
                .map(account -> new ParleyUser(account, clock.instant()))
                .orElseThrow(() -> new UsernameNotFoundException("No such user"));
    }

    /** Re-hashes a password on login when the encoder's preferred algorithm changed. */
    @Override
    @Transactional
    public UserDetails updatePassword(UserDetails user, String newPasswordHash) {
        UserAccount account = users.findByEmail(user.getUsername())
                .orElseThrow(() -> new UsernameNotFoundException("No such user"));
        account.setPasswordHash(newPasswordHash);
        return new ParleyUser(account, clock.instant());
    }
}
