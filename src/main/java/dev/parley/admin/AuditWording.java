package dev.parley.admin;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditEvent;
import dev.parley.audit.FieldChanges;
import dev.parley.web.ViewerTime;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * Audit entries in the viewer's words: each action has a message "audit.action.NAME", and the details that the
 * features write (plain English or {@link FieldChanges}) are read back into translated phrases, with role names,
 * moments in the viewer's time zone and "old → new". Details in a form this class does not know, and actions no
 * longer in {@link AuditAction}, are shown as stored.
 */
@Component
class AuditWording {

    static final String ACTION_KEY = "audit.action.";

    private static final Pattern ROLE_CHANGE = Pattern.compile("(\\w+) -> (\\w+)");
    private static final Pattern ROLE = Pattern.compile("role=(\\w+)");
    private static final Pattern FROM_ADDRESS = Pattern.compile("from (\\S+)");
    private static final Pattern LOCKED = Pattern.compile("too many failed logins from all addresses, until (\\S+)");
    private static final Pattern THROTTLED = Pattern.compile("(address|this e-mail from address) (\\S+) blocked until (\\S+)");
    private static final Pattern TRANSFERRED = Pattern.compile("to (.+)");
    private static final Pattern DAYS_CHANGE = Pattern.compile("(\\d{1,9}) -> (\\d{1,9}) days");
    private static final Pattern RECORDING_SETTINGS = Pattern.compile(
            "(\\d{1,9}) -> (\\d{1,9}) days; (\\d{1,18}) -> (\\d{1,18}) MB");
    private static final Pattern MESSAGES = Pattern.compile("(\\d{1,18}) messages");
    private static final Pattern IN_ROOM = Pattern.compile("room (\\S+)(?:; (\\d+) (muted|admitted|present|lowered))?");
    private static final Pattern API_TOKEN = Pattern.compile("token \"(.*)\" \\(([a-z: ]*)\\)");
    private static final Map<String, String> LOGIN_FAILURES = Map.of("bad credentials", "audit.details.badCredentials",
            "account disabled", "audit.details.accountDisabled", "unknown account", "audit.details.unknownAccount");
    private static final Map<String, String> BOOTSTRAPS = Map.of("generated password",
            "audit.details.generatedPassword", "from environment", "audit.details.passwordFromEnvironment");

    private final MessageSource messages;
    private final ViewerTime viewerTime;

    AuditWording(MessageSource messages, ViewerTime viewerTime) {
        this.messages = messages;
        this.viewerTime = viewerTime;
    }

    AuditEntryView describe(AuditEvent event) {
        return new AuditEntryView(event, what(event.getAction()), details(event));
    }

    /** The action in words; a code without a message as it is. */
    String what(String action) {
        return messageOr(ACTION_KEY + action, action);
    }

    String details(AuditEvent event) {
        String details = event.getDetails();
        if (details == null || details.isBlank()) {
            return "";
        }
        AuditAction action = known(event.getAction());
        String readable = action == null ? null : switch (action) {
            case USER_ROLE_CHANGED -> matching(ROLE_CHANGE, details, m -> message("audit.details.roleChange",
                    role(m.group(1)), role(m.group(2))));
            case USER_CREATED -> matching(ROLE, details, m -> message("audit.details.role", role(m.group(1))));
            case USER_UPDATED -> FieldChanges.parse(details).map(this::changes).orElse(null);
            case WEBHOOK_UPDATED -> FieldChanges.parse(details).map(this::changes).orElse(null);
            case LOGIN_FAILED -> LOGIN_FAILURES.containsKey(details) ? message(LOGIN_FAILURES.get(details)) : null;
            case ADMIN_BOOTSTRAPPED -> BOOTSTRAPS.containsKey(details) ? message(BOOTSTRAPS.get(details)) : null;
            case LOGIN_SUCCEEDED -> matching(FROM_ADDRESS, details, m -> message("audit.details.from", m.group(1)));
            case ACCOUNT_LOCKED -> matching(LOCKED, details, m -> moment(m.group(1)) == null ? null
                    : message("audit.details.lockedUntil", moment(m.group(1))));
            case LOGIN_THROTTLED -> matching(THROTTLED, details, m -> moment(m.group(3)) == null ? null
                    : message(m.group(1).equals("address") ? "audit.details.addressBlocked"
                            : "audit.details.emailFromAddressBlocked", m.group(2), moment(m.group(3))));
            case ROOM_TRANSFERRED -> matching(TRANSFERRED, details, m -> message("audit.details.transferredTo", m.group(1)));
            case CHAT_RETENTION_CHANGED -> matching(DAYS_CHANGE, details, m -> message("audit.details.retentionChange",
                    Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
            case RECORDING_SETTINGS_CHANGED -> matching(RECORDING_SETTINGS, details, m -> message(
                    "audit.details.recordingSettings", Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
            case ROOM_CHAT_CLEARED -> matching(MESSAGES, details, m -> message("audit.details.messagesRemoved",
                    Long.parseLong(m.group(1))));
            case ROOM_DELETED -> details.equals("with its host's account") ? message("audit.details.withHostAccount")
                    : null;
            case MEETING_MUTED, MEETING_MUTED_ALL, MEETING_ASKED_TO_UNMUTE, MEETING_CAMERA_STOPPED,
                 MEETING_PARTICIPANT_REMOVED, MEETING_PARTICIPANT_BANNED, MEETING_LOCKED, MEETING_UNLOCKED,
                 MEETING_LOBBY_ADMITTED_ALL, MEETING_ENDED, MEETING_COHOST_GRANTED, MEETING_COHOST_REVOKED,
                 MEETING_HAND_LOWERED, MEETING_HANDS_LOWERED_ALL, RECORDING_STARTED, RECORDING_STOPPED,
                 RECORDING_DELETED ->
                    matching(IN_ROOM, details, this::inRoom);
            case API_TOKEN_CREATED, API_TOKEN_REVOKED -> matching(API_TOKEN, details,
                    m -> message("audit.details.apiToken", m.group(1), m.group(2)));
            default -> null;
        };
        return readable == null ? details : readable;
    }

    private String changes(FieldChanges changes) {
        List<String> parts = new ArrayList<>();
        changes.asMap().forEach((field, change) -> parts.add(message("audit.details.fieldChange",
                messageOr("audit.details.field." + field, field), change.from(), change.to())));
        return String.join(" · ", parts);
    }

    private String inRoom(Matcher m) {
        String room = message("audit.details.inRoom", m.group(1));
        return m.group(2) == null ? room
                : room + " · " + message("audit.details." + m.group(3), Integer.parseInt(m.group(2)));
    }

    private String role(String name) {
        return messageOr("role." + name, name);
    }

    private String moment(String text) {
        try {
            return viewerTime.dateTime(Instant.parse(text));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static String matching(Pattern pattern, String details, Function<Matcher, String> words) {
        Matcher m = pattern.matcher(details);
        return m.matches() ? words.apply(m) : null;
    }

    private static AuditAction known(String action) {
        for (AuditAction a : AuditAction.values()) {
            if (a.name().equals(action)) {
                return a;
            }
        }
        return null;
    }

    private String message(String key, Object... arguments) {
        return messages.getMessage(key, arguments, LocaleContextHolder.getLocale());
    }

    /** The message, or the fallback when there is none (the fallback is shown as it is, never formatted). */
    private String messageOr(String key, String fallback) {
        String text = messages.getMessage(key, null, null, LocaleContextHolder.getLocale());
        return text == null ? fallback : text;
    }
}
