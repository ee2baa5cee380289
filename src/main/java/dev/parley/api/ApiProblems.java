package dev.parley.api;

import dev.parley.accounts.PasswordHashingBusy;
import dev.parley.common.NotFoundException;
import dev.parley.common.UserFacingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The API's errors as problem details (RFC 9457, {@code application/problem+json}): Spring MVC's own (unreadable
 * JSON, a wrong type in the path, an unsupported method) from {@link ResponseEntityExceptionHandler}, and Parley's:
 * validation failures with an {@code errors} list of fields and messages (400), a taken e-mail address or a rule
 * about the account's state (409), a missing room or user (404), a room of someone else's (403). Ahead of the
 * pages' error handling ({@code web.WebErrors}), and only for {@link ApiController}s.
 */
@RestControllerAdvice(assignableTypes = ApiController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);
    /** Services name the fields of the pages' forms; the API's JSON calls some of them otherwise. */
    private static final Map<String, String> FIELD_NAMES = Map.of("newPassword", "password");

    record FieldProblem(String field, String message) {
    }

    private final MessageSource messages;

    ApiProblems(MessageSource messages) {
        this.messages = messages;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            errors.add(new FieldProblem(error.getField(), error.getDefaultMessage()));
        }
        e.getBindingResult().getGlobalErrors().forEach(error -> errors.add(new FieldProblem(null,
                error.getDefaultMessage())));
        return ResponseEntity.badRequest().body(invalid(errors));
    }

    /** A query or path value out of its bounds (page, size, q): named in errors like a body's fields. */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error ->
                errors.add(new FieldProblem(result.getMethodParameter().getParameterName(),
                        error.getDefaultMessage()))));
        return ResponseEntity.badRequest().body(invalid(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request body is missing or is not JSON of the expected shape.");
        problem.setTitle("Unreadable JSON");
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(UserFacingException.class)
    ResponseEntity<ProblemDetail> userFacing(UserFacingException e, Locale locale) {
        List<FieldProblem> fieldProblems = new ArrayList<>();
        for (UserFacingException problem : e.problems()) {
            if (problem.messageKey().equals("account.emailTaken")) {
                return ResponseEntity.status(HttpStatus.CONFLICT).body(problem(HttpStatus.CONFLICT,
                        "Already taken", words(problem, locale)));
            }
            if (problem.field() != null) {
                fieldProblems.add(new FieldProblem(FIELD_NAMES.getOrDefault(problem.field(), problem.field()),
                        words(problem, locale)));
            }
        }
        if (fieldProblems.isEmpty()) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(problem(HttpStatus.CONFLICT, "Not possible now",
                    words(e, locale)));
        }
        return ResponseEntity.badRequest().body(invalid(fieldProblems));
    }

    @ExceptionHandler(PasswordHashingBusy.class)
    ResponseEntity<ProblemDetail> busy(PasswordHashingBusy e, Locale locale) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Busy", words(e, locale)));
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem(HttpStatus.NOT_FOUND, "Not found",
                "There is no such " + e.getMessage().replaceAll("\\s.*", "") + "."));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN).body(problem(HttpStatus.FORBIDDEN, "Not allowed",
                e.getMessage()));
    }

    @ExceptionHandler(ObjectOptimisticLockingFailureException.class)
    ResponseEntity<ProblemDetail> concurrentChange(ObjectOptimisticLockingFailureException e) {
        log.info("Concurrent modification: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem(HttpStatus.CONFLICT, "Changed meanwhile",
                "Someone else changed this at the same time; read it again and retry."));
    }

    static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }

    private static ProblemDetail invalid(List<FieldProblem> errors) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request",
                "Some fields are missing or not valid; see errors.");
        problem.setProperty("errors", errors);
        return problem;
    }

    private String words(UserFacingException e, Locale locale) {
        return messages.getMessage(e.messageKey(), e.arguments(), e.messageKey(), locale);
    }
}
