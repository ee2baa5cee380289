package dev.parley.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The details of an entry that changed some fields of something: each field's old and new value. Stored as JSON
 * ({@code {"email":{"from":"a@x","to":"b@x"}}}) so that the audit page can read any value back exactly, whatever
 * characters it holds.
 */
public final class FieldChanges {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Change>> FORMAT = new TypeReference<>() {
    };

    /** One field's value before and after. */
    public record Change(String from, String to) {
    }

    private final Map<String, Change> changes = new LinkedHashMap<>();

    /** Notes the field if its value differs; an unchanged field is left out. */
    public FieldChanges add(String field, String from, String to) {
        if (!Objects.equals(from, to)) {
            changes.put(field, new Change(from, to));
        }
        return this;
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public boolean has(String field) {
        return changes.containsKey(field);
    }

    /** The changed fields in the order they were added. */
    public Map<String, Change> asMap() {
        return Collections.unmodifiableMap(changes);
    }

    /** The text for {@link AuditLog#record}'s details. */
    public String toDetails() {
        try {
            return JSON.writeValueAsString(changes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("field changes cannot be written as JSON", e);
        }
    }

    /** Reads details written by {@link #toDetails()}; empty for anything else (or details cut at the column's end). */
    public static Optional<FieldChanges> parse(String details) {
        if (details == null || !details.startsWith("{")) {
            return Optional.empty();
        }
        try {
            Map<String, Change> read = JSON.readValue(details, FORMAT);
            FieldChanges parsed = new FieldChanges();
            read.forEach((field, change) -> {
                if (change != null) {
                    parsed.changes.put(field, change);
                }
            });
            return Optional.of(parsed);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
