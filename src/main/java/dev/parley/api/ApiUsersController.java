package dev.parley.api;

import dev.parley.accounts.AccountService;
import dev.parley.accounts.ParleyUser;
import dev.parley.common.PageRequests;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.Locale;
import org.springframework.data.domain.Sort;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** /api/v1/users: admins list, read, create, promote or demote, disable and enable accounts (AccountService). */
@RestController
@RequestMapping(ApiAccess.BASE + "/users")
@Tag(name = "Users", description = "Accounts; admins only.")
class ApiUsersController implements ApiController {

    private final AccountService accounts;

    ApiUsersController(AccountService accounts) {
        this.accounts = accounts;
    }

    @GetMapping
    @Operation(summary = "List users", description = "By e-mail address; q searches e-mail and name.")
    PageJson<UserJson> list(@RequestParam(defaultValue = "") @Size(max = 100) String q,
                            @RequestParam(defaultValue = "0") @Min(0) int page,
                            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return PageJson.of(accounts.search(q, PageRequests.of(page, size, Sort.by("email").and(Sort.by("id")))),
                UserJson::of);
    }

    @PostMapping
    @Operation(summary = "Create a user", description = "409 when the e-mail address is taken.")
    @ApiResponse(responseCode = "201", description = "Created; Location names the user", useReturnTypeSchema = true)
    ResponseEntity<UserJson> create(@Valid @RequestBody NewUserJson body, Locale locale) {
        UserJson created = UserJson.of(accounts.create(body.email(), body.displayName(), body.password(), body.role(),
                locale));
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(created.id()).toUri()).body(created);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a user")
    UserJson get(@PathVariable long id) {
        return UserJson.of(accounts.get(id));
    }

    @PutMapping("/{id}/role")
    @Operation(summary = "Change a user's role", description = "409 for the last admin. The user's sessions and "
            + "API tokens take the new role at their next request.")
    UserJson changeRole(@AuthenticationPrincipal ParleyUser admin, @PathVariable long id,
                        @Valid @RequestBody RoleJson body) {
        accounts.changeRole(id, body.role(), admin.id());
        return UserJson.of(accounts.get(id));
    }

    @PostMapping("/{id}/disable")
    @Operation(summary = "Disable a user", description = "Ends their sessions and meetings; their API tokens stop "
            + "working. 409 for yourself or the last admin.")
    UserJson disable(@AuthenticationPrincipal ParleyUser admin, @PathVariable long id) {
        accounts.setEnabled(id, false, admin.id());
        return UserJson.of(accounts.get(id));
    }

    @PostMapping("/{id}/enable")
    @Operation(summary = "Enable a user")
    UserJson enable(@AuthenticationPrincipal ParleyUser admin, @PathVariable long id) {
        accounts.setEnabled(id, true, admin.id());
        return UserJson.of(accounts.get(id));
    }
}
