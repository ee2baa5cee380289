package dev.parley.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;

/** A cookie-backed resolver that only ever answers with a language Parley has messages for. */
class SupportedLocaleResolver extends CookieLocaleResolver {

    private final List<Locale> supported;

    SupportedLocaleResolver(String cookieName, List<Locale> supported) {
        super(cookieName);
        this.supported = supported;
        setDefaultLocaleFunction(this::fromAcceptLanguage);
    }

    @Override
    public Locale resolveLocale(HttpServletRequest request) {
        return closest(super.resolveLocale(request));
    }

    @Override
    public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
        super.setLocale(request, response, locale == null ? null : closest(locale));
    }

    private Locale fromAcceptLanguage(HttpServletRequest request) {
        for (Locale wanted : Collections.list(request.getLocales())) {
            Locale match = match(wanted);
            if (match != null) {
                return match;
            }
        }
        return supported.get(0);
    }

    private Locale closest(Locale locale) {
        Locale match = match(locale);
        return match == null ? supported.get(0) : match;
    }

    private Locale match(Locale wanted) {
        if (wanted == null) {
            return null;
        }
        for (Locale candidate : supported) {
            if (candidate.getLanguage().equals(wanted.getLanguage())) {
                // Traditional Chinese readers get Simplified rather than English: closer to what they asked for.
                return candidate;
            }
        }
        return null;
    }
}
