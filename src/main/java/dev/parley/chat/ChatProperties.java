package dev.parley.chat;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Files shared in meetings' chats (environment: PARLEY_CHAT_*).
 *
 * @param directory where the files' bytes are kept, one folder per room, under the data folder by default
 * @param maxFileSize the largest file one may share
 * @param minFreeDisk what an upload must leave free on the disk that holds {@code directory}
 */
@ConfigurationProperties(prefix = "parley.chat")
public record ChatProperties(@DefaultValue("./data/files") Path directory,
                             @DefaultValue("50MB") DataSize maxFileSize,
                             @DefaultValue("512MB") DataSize minFreeDisk) {

    public ChatProperties {
        if (maxFileSize.toBytes() < 1 || maxFileSize.toGigabytes() > 16) {
            throw new IllegalArgumentException("parley.chat.max-file-size must be from 1 byte to 16GB");
        }
        if (minFreeDisk.isNegative()) {
            throw new IllegalArgumentException("parley.chat.min-free-disk cannot be negative");
        }
    }
}
