package dev.parley.accounts;

import jakarta.annotation.PreDestroy;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.MessageSource;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Sends the reset mails, once their tokens are committed, one after the other on a thread of its own: the request
 * that asked does not wait for the SMTP server (so a known address answers no slower than an unknown one), and a slow
 * or failing server costs no request thread. The text is in the language of the page the reset was asked from.
 * Neither the link nor the mail's text is ever logged.
 */
@Component
class PasswordResetMailer {

    private static final Logger log = LoggerFactory.getLogger(PasswordResetMailer.class);
    /** Requests are rate-limited; this bounds what an SMTP outage can pile up. */
    private static final int QUEUE = 1_000;

    private final ObjectProvider<JavaMailSender> mailSender;
    private final MessageSource messages;
    private final ThreadPoolExecutor sending = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), runnable -> {
                Thread thread = new Thread(runnable, "parley-mail");
                thread.setDaemon(true);
                return thread;
            }, (runnable, executor) -> log.warn("Password reset mail dropped: {} mails wait already", QUEUE));

    PasswordResetMailer(ObjectProvider<JavaMailSender> mailSender, MessageSource messages) {
        this.mailSender = mailSender;
        this.messages = messages;
    }

    @TransactionalEventListener
    public void send(PasswordResetRequested request) {
        String subject = messages.getMessage("passwordReset.mail.subject", null, request.locale());
        String text = messages.getMessage("passwordReset.mail.body", new Object[] {request.displayName(),
                request.to(), request.link(), request.validity().toMinutes()}, request.locale());
        sending.execute(() -> deliver(request, subject, text));
    }

    private void deliver(PasswordResetRequested request, String subject, String text) {
        JavaMailSender sender = mailSender.getIfAvailable();
        if (sender == null) {
            log.warn("Password reset mail to {} not sent: no mail sender is configured", request.to());
            return;
        }
        try {
            MimeMessage message = sender.createMimeMessage();
            MimeMessageHelper mail = new MimeMessageHelper(message, StandardCharsets.UTF_8.name());
            mail.setFrom(request.from());
            mail.setTo(request.to());
            mail.setSubject(subject);
            mail.setText(text);
            sender.send(message);
            log.info("Password reset mail sent to {}", request.to());
        } catch (MailException | MessagingException e) {
            // the cause names what went wrong with the server or the address; the message with the link is not in it
            log.warn("Password reset mail to {} failed: {}", request.to(),
                    NestedExceptionUtils.getMostSpecificCause(e).toString());
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        sending.shutdown();
        sending.awaitTermination(10, TimeUnit.SECONDS);
    }
}
