package dev.parley.common;

import org.springframework.validation.BindingResult;

/** Puts a service's {@link UserFacingException} onto the form it came from, as a field or a global error. */
public final class FormErrors {

    private FormErrors() {
    }

    public static void reject(BindingResult binding, UserFacingException e) {
        if (e.field() != null && binding.getTarget() != null
                && org.springframework.beans.BeanUtils.getPropertyDescriptor(binding.getTarget().getClass(), e.field()) != null) {
            binding.rejectValue(e.field(), e.messageKey(), e.arguments(), e.messageKey());
        } else {
            binding.reject(e.messageKey(), e.arguments(), e.messageKey());
        }
    }
}
