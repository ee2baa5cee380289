package dev.parley.accounts;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface UserAccountRepository extends JpaRepository<UserAccount, Long> {

    Optional<UserAccount> findByEmail(String email);

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
