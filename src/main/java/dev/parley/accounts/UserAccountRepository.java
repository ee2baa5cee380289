package dev.parley.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface UserAccountRepository extends JpaRepository<UserAccount, Long> {

    Optional<UserAccount> findByEmail(String email);

    /**
     * A successful sign-in: the failed-sign-in count and any lock go, and its time is noted. An update of its own,
     * without the version check, so that two sign-ins of one account at the same moment (two tabs, a double click)
     * both succeed rather than one failing on the other's write.
     */
    @Modifying
    @Query("update UserAccount u set u.failedLoginCount = 0, u.lockedUntil = null, u.lastLoginAt = :now"
            + " where u.id = :id")
    int recordSuccessfulLogin(@Param("id") long id, @Param("now") Instant now);

    /**
     * Counts a failed sign-in in one statement, without the version check: guesses at one account arrive together,
     * and each must count (a versioned write would refuse all but one of them with a 500).
     */
    @Modifying
    @Query("update UserAccount u set u.failedLoginCount = u.failedLoginCount + 1 where u.id = :id")
    int recordFailedLogin(@Param("id") long id);

    /** Locks the account for everyone until then (too many failed sign-ins from all addresses together). */
    @Modifying
    @Query("update UserAccount u set u.lockedUntil = :until, u.failedLoginCount = 0 where u.id = :id")
    int lockUntil(@Param("id") long id, @Param("until") Instant until);

    /**
     * Takes the admin lock until the transaction ends. Every change that can leave fewer active admins takes it before
     * reading anything, so two of them (two admins demoting each other) run one after the other, each seeing the
     * other's result; a row lock works the same on H2 and PostgreSQL and across several nodes.
     */
    @Query(value = "select id from admin_lock where id = 1 for update", nativeQuery = true)
    Integer lockAdmins();

    boolean existsByEmail(String email);

    long countByRoleAndEnabledTrue(Role role);

    boolean existsByRole(Role role);

    @Query("""
            select u from UserAccount u
            where lower(u.email) like :pattern escape '\\'
               or lower(u.displayName) like :pattern escape '\\'
            """)
    Page<UserAccount> search(@Param("pattern") String likePattern, Pageable pageable);

    List<UserAccount> findByRoleInAndEnabledTrueOrderByDisplayName(List<Role> roles);
}
