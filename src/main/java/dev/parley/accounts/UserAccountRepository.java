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
