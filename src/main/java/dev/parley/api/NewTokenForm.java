package dev.parley.api;

import dev.parley.common.VisibleText;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;

/** A new API token as its owner names it on the profile: a name, its scopes, and optionally days until it expires. */
public class NewTokenForm {

    @NotBlank(message = "{apiToken.name.required}")
    @Size(max = 100, message = "{apiToken.name.size}")
    @VisibleText
    private String name;

    @Size(max = 10, message = "{apiToken.scopes.required}")
    private List<ApiScope> scopes = new ArrayList<>();

    @Min(value = 1, message = "{apiToken.expiry.range}")
    @Max(value = ApiTokens.MAX_DAYS, message = "{apiToken.expiry.range}")
    private Integer expiresInDays;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public List<ApiScope> getScopes() {
        return scopes;
    }

    public void setScopes(List<ApiScope> scopes) {
        this.scopes = scopes;
    }

    public Integer getExpiresInDays() {
        return expiresInDays;
    }

    public void setExpiresInDays(Integer expiresInDays) {
        this.expiresInDays = expiresInDays;
    }
}
