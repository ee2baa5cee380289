package dev.parley.meeting;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** The JSON errors of the meeting page's own endpoints: {@code {"error": code, "message": text}}. */
final class JsonErrors {

    private JsonErrors() {
    }

    static ResponseEntity<Map<String, Object>> of(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).body(Map.of("error", code, "message", message));
    }
}
