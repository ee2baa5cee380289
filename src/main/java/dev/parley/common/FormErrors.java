package dev.parley.common;

import org.springframework.beans.BeanUtils;
import org.springframework.validation.BindingResult;

/**
 * Puts a service's {@link UserFacingException} onto the form it came from, as field or global errors. A field keeps
 * one message: the first found (usually the form's own validation) stays, so the user sees one thing to fix per field
 * but every field's problem at once.
 */
public final class FormErrors {

    private FormErrors() {
    }

    public static void reject(BindingResult binding, UserFacingException e) {
        for (UserFacingException problem : e.problems()) {
            rejectOne(binding, problem);
        }
    }

    /**
     * Runs a service's checks on a form that already failed its own validation, so that what the service would refuse
     * (a weak password, a taken e-mail, a start in the past) shows beside those errors instead of after the next
     * submit. The check must skip what is missing or malformed: the form's own errors cover that.
     */
    public static void check(BindingResult binding, Runnable serviceCheck) {
        try {
            serviceCheck.run();
        } catch (UserFacingException e) {
            reject(binding, e);
        }
    }

    private static void rejectOne(BindingResult binding, UserFacingException e) {
        if (e.field() != null && binding.getTarget() != null
                && BeanUtils.getPropertyDescriptor(binding.getTarget().getClass(), e.field()) != null) {
            if (!binding.hasFieldErrors(e.field())) {
                binding.rejectValue(e.field(), e.messageKey(), e.arguments(), e.messageKey());
            }
        } else {
            binding.reject(e.messageKey(), e.arguments(), e.messageKey());
        }
    }
}
