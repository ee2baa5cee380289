package dev.parley.accounts.sso;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Who an account is at an identity provider: the issuer and the subject it gives the person. */
@Entity
@Table(name = "external_identity")
public class ExternalIdentity {

    /** The issuer recorded for LDAP sign-ins; the subject is then the person's distinguished name. */
    static final String LDAP_ISSUER = "ldap";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "user_id", nullable = false)
    private long userId;

    @Column(nullable = false, length = 255)
    private String issuer;

    @Column(nullable = false, length = 255)
    private String subject;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected ExternalIdentity() {
    }

    ExternalIdentity(long userId, String issuer, String subject, Instant createdAt) {
        this.userId = userId;
        this.issuer = issuer;
        this.subject = subject;
        this.createdAt = createdAt;
    }

    public long getUserId() {
        return userId;
    }

    public String getIssuer() {
        return issuer;
    }

    public String getSubject() {
        return subject;
    }
}
