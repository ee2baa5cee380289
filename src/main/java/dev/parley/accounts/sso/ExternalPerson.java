package dev.parley.accounts.sso;

import dev.parley.accounts.Role;
import java.util.Optional;

/**
 * A person as an identity provider vouched for them at this sign-in.
 *
 * @param issuer        the provider (an OpenID Connect issuer URL, or "ldap")
 * @param subject       the provider's own, stable name for the person (OIDC "sub", or the LDAP entry's DN)
 * @param email         the e-mail address the provider gave, if any
 * @param emailVerified whether the provider says it checked that the person owns the address
 * @param displayName   the name to give a new account
 * @param mappedRole    the role the provider's groups give; empty when the provider manages no roles
 * @param defaultRole   the role of a new account when no role is mapped
 * @param linkByEmail   whether an existing account with the same verified address may be taken over (see
 *                      {@link ExternalSignIns})
 * @param providerName  the provider's name for logs and the audit log
 */
record ExternalPerson(String issuer, String subject, String email, boolean emailVerified, String displayName,
                      Optional<Role> mappedRole, Role defaultRole, boolean linkByEmail, String providerName) {
}
