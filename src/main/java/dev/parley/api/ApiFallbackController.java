package dev.parley.api;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.PathContainer;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Whatever no operation answers under /api/v1, as a problem detail rather than Spring Boot's error page: 405 with
 * {@code Allow} for a known path with another method, 404 otherwise. Authenticated like every operation (the chain's
 * last rule), so it tells nothing to callers without a token.
 */
@Hidden
@RestController
class ApiFallbackController implements ApiController {

    @RequestMapping(ApiAccess.BASE + "/**")
    ResponseEntity<ProblemDetail> unknown(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Set<String> allowed = ApiAccess.RULES.stream()
                .filter(rule -> PathPatternParser.defaultInstance.parse(rule.path())
                        .matches(PathContainer.parsePath(path)))
                .map(rule -> rule.method().name()).collect(Collectors.toCollection(TreeSet::new));
        if (allowed.isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ApiProblems.problem(HttpStatus.NOT_FOUND,
                    "Not found", "There is no such operation; see " + ApiAccess.SPEC + "."));
        }
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
                .header(HttpHeaders.ALLOW, String.join(", ", allowed))
                .body(ApiProblems.problem(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed",
                        "This path takes " + String.join(", ", allowed) + "."));
    }
}
