package dev.parley.accounts.sso;

import dev.parley.accounts.Role;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A provider's groups (or roles) to a Parley role: a member of an admin group is an admin, else of a host group a
 * host, else the default role. Group names compare without regard to case. When the provider manages no roles
 * ({@code managed} false) there is no mapped role: new accounts get the default one and admins set roles in Parley.
 */
record RoleMapping(boolean managed, List<String> adminGroups, List<String> hostGroups, Role defaultRole) {

    Optional<Role> roleFor(Collection<String> groups) {
        if (!managed) {
            return Optional.empty();
        }
        Set<String> held = groups.stream().map(g -> g.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        if (adminGroups.stream().anyMatch(g -> held.contains(g.strip().toLowerCase(Locale.ROOT)))) {
            return Optional.of(Role.ADMIN);
        }
        if (hostGroups.stream().anyMatch(g -> held.contains(g.strip().toLowerCase(Locale.ROOT)))) {
            return Optional.of(Role.HOST);
        }
        return Optional.of(defaultRole);
    }
}
