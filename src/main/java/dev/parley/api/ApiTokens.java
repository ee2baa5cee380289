package dev.parley.api;

import dev.parley.accounts.ParleyUser;
import dev.parley.accounts.UserAccount;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import dev.parley.common.SecretTokens;
import dev.parley.common.UserFacingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The REST API's tokens: made by hosts and admins on their profile (the secret is shown once; only its SHA-256 hash is
 * stored), revoked by their owner or an admin, both audited. A token acts as its owner as the account is at each
 * request: a disabled or deleted owner's tokens are refused, a demoted owner's tokens lose what the role lost (the
 * API's authorisation rules read the role and the scopes together, {@link ApiAccess}).
 */
@Service
public class ApiTokens {

    static final String PREFIX = "parley_";
    static final int MAX_PER_ACCOUNT = 50;
    static final int MAX_DAYS = 3650;
    private static final int SECRET_BYTES = 32;
    private static final Pattern SHAPE = Pattern.compile("parley_[A-Za-z0-9_-]{43}");

    /** A token as the pages list it; never its secret. {@code lastUsedAt}: null when never used. */
    public record TokenView(long id, String name, long ownerId, String ownerEmail, List<String> scopes,
                            Instant createdAt, Instant expiresAt, boolean expired, Instant lastUsedAt) {
    }

    /** A new token: its secret, shown once, and the token. */
    public record NewToken(String secret, TokenView token) {
    }

    /**
     * Whoever a valid token speaks for, as their account is now, and what the token lets them do; when its last use
     * was noted ({@link ApiTokenUses}), null if never.
     */
    record Caller(ParleyUser user, Set<ApiScope> scopes, long tokenId, Instant lastUsedAt) {
    }

    private final ApiTokenRepository tokens;
    private final UserAccountRepository users;
    private final AuditLog audit;
    private final Clock clock;

    ApiTokens(ApiTokenRepository tokens, UserAccountRepository users, AuditLog audit, Clock clock) {
        this.tokens = tokens;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    /** The scopes this person may put on a token: all for admins, all but the users scopes for hosts. */
    public static List<ApiScope> grantableBy(ParleyUser user) {
        return EnumSet.allOf(ApiScope.class).stream().filter(scope -> user.isAdmin() || !scope.adminOnly()).toList();
    }

    @Transactional
    public NewToken create(ParleyUser owner, String name, Set<ApiScope> scopes, Integer expiresInDays) {
        if (!owner.role().canHost()) {
            throw new AccessDeniedException("Only hosts and admins have API tokens");
        }
        UserFacingException.checkAll(
                () -> {
                    if (scopes == null || scopes.isEmpty()) {
                        throw new UserFacingException("scopes", "apiToken.scopes.required");
                    }
                    if (!grantableBy(owner).containsAll(scopes)) {
                        throw new UserFacingException("scopes", "apiToken.scopes.adminOnly");
                    }
                },
                () -> {
                    if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > MAX_DAYS)) {
                        throw new UserFacingException("expiresInDays", "apiToken.expiry.range", MAX_DAYS);
                    }
                },
                () -> {
                    if (tokens.findByUserIdOrderByCreatedAtDesc(owner.id()).size() >= MAX_PER_ACCOUNT) {
                        throw new UserFacingException("apiToken.tooMany", MAX_PER_ACCOUNT);
                    }
                });
        String secret = PREFIX + SecretTokens.random(SECRET_BYTES);
        Instant now = clock.instant();
        Instant expiresAt = expiresInDays == null ? null : now.plus(Duration.ofDays(expiresInDays));
        ApiToken token = tokens.save(new ApiToken(owner.id(), name.strip(), SecretTokens.sha256Hex(secret),
                EnumSet.copyOf(scopes), now, expiresAt));
        audit.record(AuditAction.API_TOKEN_CREATED, owner.email(), describe(token));
        return new NewToken(secret, view(token, owner.email(), now));
    }

    /** Revokes a token of the actor's, or any token when the actor is an admin; false when there is no such token. */
    @Transactional
    public boolean revoke(ParleyUser actor, long tokenId) {
        Optional<ApiToken> found = tokens.findById(tokenId)
                .filter(token -> actor.isAdmin() || token.getUserId() == actor.id());
        found.ifPresent(token -> {
            tokens.delete(token);
            String owner = users.findById(token.getUserId()).map(UserAccount::getEmail)
                    .orElse("user " + token.getUserId());
            audit.record(AuditAction.API_TOKEN_REVOKED, owner, describe(token));
        });
        return found.isPresent();
    }

    @Transactional(readOnly = true)
    public List<TokenView> ownedBy(ParleyUser owner) {
        Instant now = clock.instant();
        return tokens.findByUserIdOrderByCreatedAtDesc(owner.id()).stream()
                .map(token -> view(token, owner.email(), now)).toList();
    }

    /** Every token of every account, newest first, for admins. */
    @Transactional(readOnly = true)
    public List<TokenView> all() {
        Instant now = clock.instant();
        List<ApiToken> all = tokens.findAllByOrderByCreatedAtDesc();
        Map<Long, String> emails = users.findAllById(all.stream().map(ApiToken::getUserId).distinct().toList())
                .stream().collect(Collectors.toMap(UserAccount::getId, UserAccount::getEmail));
        Function<ApiToken, String> email = token -> emails.getOrDefault(token.getUserId(), "?");
        return all.stream().map(token -> view(token, email.apply(token), now)).toList();
    }

    /** Whom a bearer token speaks for: nobody when it is malformed, unknown, expired, or its owner disabled or gone. */
    @Transactional(readOnly = true)
    Optional<Caller> authenticate(String secret) {
        if (secret == null || !SHAPE.matcher(secret).matches()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return tokens.findByTokenHash(SecretTokens.sha256Hex(secret))
                .filter(token -> !token.isExpiredAt(now))
                .flatMap(token -> users.findById(token.getUserId())
                        .filter(UserAccount::isEnabled)
                        .map(owner -> new Caller(new ParleyUser(owner, now), token.getScopes(), token.getId(),
                                token.getLastUsedAt())));
    }

    private static TokenView view(ApiToken token, String ownerEmail, Instant now) {
        return new TokenView(token.getId(), token.getName(), token.getUserId(), ownerEmail,
                token.getScopes().stream().map(ApiScope::wireName).toList(), token.getCreatedAt(),
                token.getExpiresAt(), token.isExpiredAt(now), token.getLastUsedAt());
    }

    private static String describe(ApiToken token) {
        return "token \"" + token.getName() + "\" (" + ApiScope.format(token.getScopes()) + ")";
    }
}
