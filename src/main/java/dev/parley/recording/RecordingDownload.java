package dev.parley.recording;

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
 * A recording's file to send: where it lies, the name it is saved under (the room's slug and the recording's start,
 * never anything a participant typed) and its content type.
 */
public record RecordingDownload(Path file, String fileName, String contentType) {

    /**
     * The file as a download (never shown inline), not cached by anyone but the browser, not sniffed. Spring MVC
     * answers a Range request for a Resource body itself (206 with the asked bytes), so players may seek and
     * downloads may resume.
     */
    public ResponseEntity<Resource> response() {
        if (!Files.isRegularFile(file)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        }
        HttpHeaders headers = new HttpHeaders();
        headers.setContentDisposition(ContentDisposition.attachment().filename(fileName).build());
        headers.setContentType(MediaType.parseMediaType(contentType));
        headers.setCacheControl(CacheControl.noStore().cachePrivate());
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Content-Security-Policy", "sandbox; default-src 'none'");
        return ResponseEntity.ok().headers(headers).body(new FileSystemResource(file));
    }

    static String contentType(String fileName) {
        if (fileName.endsWith(".mp4")) {
            return "video/mp4";
        }
        if (fileName.endsWith(".mkv")) {
            return "video/x-matroska";
        }
        return fileName.endsWith(".webm") ? "video/webm" : "application/octet-stream";
    }
}
