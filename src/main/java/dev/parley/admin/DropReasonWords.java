package dev.parley.admin;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * The relay's drop reasons (the lower-case codes of its counters, such as "tcp_refused") in the viewer's words, for
 * the live page as {@code @dropReasons}. A code without a message, from a relay newer than this bundle, is shown as it
 * is.
 */
@Component("dropReasons")
public class DropReasonWords {

    static final String KEY = "admin.live.drop.";

    private final MessageSource messages;

    DropReasonWords(MessageSource messages) {
        this.messages = messages;
    }

    public String of(String code) {
        String words = messages.getMessage(KEY + code, null, null, LocaleContextHolder.getLocale());
        return words == null ? code : words;
    }
}
