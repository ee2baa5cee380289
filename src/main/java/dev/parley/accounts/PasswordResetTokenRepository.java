package dev.parley.accounts;

import java.time.Instant;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface PasswordResetTokenRepository extends JpaRepository<PasswordResetToken, Long> {

    Optional<PasswordResetToken> findByTokenHash(String tokenHash);

    /**
     * Uses the token up: 1 when this call deleted it, 0 when another request was first (the row lock makes the second
     * of two concurrent deletes wait, then find nothing).
     */
    @Modifying
    @Query("delete from PasswordResetToken t where t.id = :id")
    int consume(@Param("id") long id);

    @Modifying
    @Query("delete from PasswordResetToken t where t.userId = :userId")
    int deleteAllOf(@Param("userId") long userId);

    @Modifying
    @Query("delete from PasswordResetToken t where t.expiresAt <= :now")
    int deleteExpired(@Param("now") Instant now);
}
