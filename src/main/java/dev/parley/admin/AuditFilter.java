package dev.parley.admin;

import dev.parley.audit.AuditAction;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.StringJoiner;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.validation.Errors;

/**
 * The audit page's filter form, as the address carries it. The dates are calendar days in the viewer's time zone,
 * both included; a date that is not one arrives as a type-mismatch error on its field.
 */
public class AuditFilter {

    static final int MAX_TEXT = 100;
    private static final int FIRST_YEAR = 1;
    private static final int LAST_YEAR = 9999;

    private String action = "";
    private String q = "";
    private String person = "";

    @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
    private LocalDate from;

    @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
    private LocalDate to;

    /** Adds the errors that type conversion cannot find: a year out of range, a range that ends before it starts. */
    void check(Errors errors) {
        boolean fromOk = inRange("from", from, errors);
        boolean toOk = inRange("to", to, errors);
        if (fromOk && toOk && from != null && to != null && to.isBefore(from)) {
            errors.rejectValue("to", "admin.audit.toBeforeFrom");
        }
    }

    private static boolean inRange(String field, LocalDate date, Errors errors) {
        if (errors.hasFieldErrors(field)) {
            return false;
        }
        if (date != null && (date.getYear() < FIRST_YEAR || date.getYear() > LAST_YEAR)) {
            errors.rejectValue(field, "admin.audit.dateOutOfRange", new Object[] {FIRST_YEAR, LAST_YEAR}, null);
            return false;
        }
        return true;
    }

    /** The query for a checked filter, its days taken in the given zone. An unknown action filters nothing. */
    AuditQuery query(ZoneId zone) {
        Instant start = from == null ? null : from.atStartOfDay(zone).toInstant();
        Instant end = to == null ? null : to.plusDays(1).atStartOfDay(zone).toInstant();
        return new AuditQuery(actionOrNull(), cut(q), cut(person), start, end);
    }

    /** The action's name if it is one, else "" (the page then shows all actions). */
    String knownAction() {
        return Arrays.stream(AuditAction.values()).map(Enum::name).filter(action::equals).findFirst().orElse("");
    }

    private AuditAction actionOrNull() {
        String known = knownAction();
        return known.isEmpty() ? null : AuditAction.valueOf(known);
    }

    /** This filter's address, for the pager's links: only the parts given, each form-encoded ("+" as %2B). */
    String link() {
        StringJoiner query = new StringJoiner("&", "/admin/audit?", "").setEmptyValue("/admin/audit");
        addIfGiven(query, "action", knownAction());
        addIfGiven(query, "person", person);
        addIfGiven(query, "q", q);
        addIfGiven(query, "from", from == null ? null : from.toString());
        addIfGiven(query, "to", to == null ? null : to.toString());
        return query.toString();
    }

    private static void addIfGiven(StringJoiner query, String name, String value) {
        if (value != null && !value.isBlank()) {
            query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static String cut(String text) {
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    }

    public String getAction() {
        return action;
    }

    public void setAction(String action) {
        this.action = action == null ? "" : action;
    }

    public String getQ() {
        return q;
    }

    public void setQ(String q) {
        this.q = q == null ? "" : q;
    }

    public String getPerson() {
        return person;
    }

    public void setPerson(String person) {
        this.person = person == null ? "" : person;
    }

    public LocalDate getFrom() {
        return from;
    }

    public void setFrom(LocalDate from) {
        this.from = from;
    }

    public LocalDate getTo() {
        return to;
    }

    public void setTo(LocalDate to) {
        this.to = to;
    }
}
