package dev.parley.webhooks;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;

/** The admin's form for a webhook: where, which events, on or off. The secret is Parley's, never typed in. */
public class WebhookForm {

    @NotBlank(message = "{webhook.url.required}")
    @Size(max = Webhook.MAX_URL_LENGTH, message = "{webhook.url.size}")
    private String url;

    @NotEmpty(message = "{webhook.events.required}")
    @Size(max = 20, message = "{webhook.events.unknown}")
    private List<String> events = new ArrayList<>();

    private boolean enabled = true;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public List<String> getEvents() {
        return events;
    }

    public void setEvents(List<String> events) {
        this.events = events == null ? new ArrayList<>() : events;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
