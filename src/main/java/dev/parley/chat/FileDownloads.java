package dev.parley.chat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * A shared file as a response: always a download under the name its sender gave (never shown inline, whatever it
 * holds), its checked type, not sniffed, not cached by anyone but the browser, and sandboxed should a browser open
 * it anyway.
 */
public final class FileDownloads {

    private FileDownloads() {
    }

    public static ResponseEntity<Resource> of(SharedFile file, Path path) {
        if (!Files.isRegularFile(path)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        }
        HttpHeaders headers = new HttpHeaders();
        headers.setContentDisposition(ContentDisposition.attachment().filename(file.getName(), StandardCharsets.UTF_8)
                .build());
        headers.setContentType(MediaType.parseMediaType(file.getContentType()));
        headers.setCacheControl(CacheControl.noStore().cachePrivate());
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Content-Security-Policy", "sandbox; default-src 'none'");
        return ResponseEntity.ok().headers(headers).body(new FileSystemResource(path));
    }
}
