package dev.parley.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Problem details (RFC 9457) for the refusals that happen in the security chain, before any controller: 401 with a
 * Bearer challenge (RFC 6750), 403, 429. The controllers' own problems come from {@link ApiProblems}.
 */
final class ApiProblemWriter implements AuthenticationEntryPoint, AccessDeniedHandler {

    static final String CHALLENGE = "Bearer realm=\"parley\"";

    private final ObjectMapper json;

    ApiProblemWriter(ObjectMapper json) {
        this.json = json;
    }

    /** No token, or the chain found the request unauthenticated. */
    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        write(request, response, HttpStatus.UNAUTHORIZED, "Authentication required",
                "Send an API token: Authorization: Bearer <token>.");
    }

    void invalidToken(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE + ", error=\"invalid_token\"");
        write(request, response, HttpStatus.UNAUTHORIZED, "Invalid token",
                "The token is unknown, expired or revoked, or its owner's account is disabled.");
    }

    /** Authenticated, but the token lacks the scope or its owner the role. */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        write(request, response, HttpStatus.FORBIDDEN, "Not allowed",
                "This token's scopes, or its owner's role, do not allow this operation.");
    }

    void tooManyRequests(HttpServletRequest request, HttpServletResponse response, long retryAfterSeconds)
            throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        write(request, response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                "This token's request allowance is spent; try again in " + retryAfterSeconds + " s.");
    }

    /** A body over the API's limit, or one of unknown length (chunked), refused before anything reads it. */
    void bodyRefused(HttpServletRequest request, HttpServletResponse response, long limit) throws IOException {
        boolean unknown = request.getContentLengthLong() < 0;
        response.setHeader(HttpHeaders.CONNECTION, "close");
        write(request, response, unknown ? HttpStatus.LENGTH_REQUIRED : HttpStatus.PAYLOAD_TOO_LARGE,
                unknown ? "Length required" : "Body too large",
                "Request bodies must give their Content-Length and stay within " + limit + " bytes.");
    }

    private void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title,
                       String detail) throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setInstance(URI.create(request.getRequestURI()));
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
