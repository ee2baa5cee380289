package dev.parley.api;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a token may be used for. A token never grants more than its owner may do at the moment of each request: the
 * scope narrows the owner's role, it does not widen it. The users scopes are granted by admins only.
 */
public enum ApiScope {
    ROOMS_READ("rooms:read", false),
    ROOMS_WRITE("rooms:write", false),
    MEETINGS_READ("meetings:read", false),
    MEETINGS_WRITE("meetings:write", false),
    USERS_READ("users:read", true),
    USERS_WRITE("users:write", true);

    private final String wireName;
    private final boolean adminOnly;

    ApiScope(String wireName, boolean adminOnly) {
        this.wireName = wireName;
        this.adminOnly = adminOnly;
    }

    public String wireName() {
        return wireName;
    }

    public boolean adminOnly() {
        return adminOnly;
    }

    /** The Spring Security authority a token with this scope carries. */
    public String authority() {
        return "SCOPE_" + wireName;
    }

    public static Optional<ApiScope> ofWireName(String name) {
        return Arrays.stream(values()).filter(scope -> scope.wireName.equals(name)).findFirst();
    }

    /** The scopes of a stored list ("rooms:read rooms:write"); unknown names are ignored. */
    static Set<ApiScope> parse(String stored) {
        Set<ApiScope> scopes = EnumSet.noneOf(ApiScope.class);
        for (String name : stored.trim().split("\\s+")) {
            ofWireName(name).ifPresent(scopes::add);
        }
        return scopes;
    }

    static String format(Set<ApiScope> scopes) {
        return String.join(" ", scopes.stream().sorted().map(ApiScope::wireName).toList());
    }
}
