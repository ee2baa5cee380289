package dev.parley.web;

import dev.parley.accounts.PasswordHashingBusy;
import dev.parley.common.UserFacingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpStatus;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.ModelAndView;

/** Turns the exceptions a page can meet into friendly pages; nothing here shows a stack trace. */
@ControllerAdvice(annotations = org.springframework.stereotype.Controller.class)
class WebErrors {

    private static final Logger log = LoggerFactory.getLogger(WebErrors.class);

    @ExceptionHandler(UserFacingException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    ModelAndView userFacing(UserFacingException e) {
        return problem(e.messageKey(), e.arguments(), HttpStatus.BAD_REQUEST);
    }

    /** Too many passwords being checked at once: nothing was changed, and trying again shortly will work. */
    @ExceptionHandler(PasswordHashingBusy.class)
    ModelAndView busy(PasswordHashingBusy e) {
        return problem(e.messageKey(), e.arguments(), HttpStatus.SERVICE_UNAVAILABLE);
    }

    /** A query or path value that is not what the page takes, such as page=abc or a number beyond int. */
    @ExceptionHandler(TypeMismatchException.class)
    ModelAndView unreadableValue(TypeMismatchException e) {
        return problem("error.badValue", new Object[0], HttpStatus.BAD_REQUEST);
    }

    @ExceptionHandler(ObjectOptimisticLockingFailureException.class)
    ModelAndView concurrentChange(ObjectOptimisticLockingFailureException e) {
        log.info("Concurrent modification: {}", e.getMessage());
        return problem("error.concurrentChange", new Object[0], HttpStatus.CONFLICT);
    }

    private static ModelAndView problem(String messageKey, Object[] arguments, HttpStatus status) {
        ModelAndView page = new ModelAndView("error/problem");
        page.addObject("messageKey", messageKey);
        page.addObject("messageArgs", arguments);
        page.setStatus(status);
        return page;
    }
}
