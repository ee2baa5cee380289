package dev.parley.chat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;
import org.springframework.stereotype.Component;

/**
 * What a shared file really holds. Tika reads the type twice, from the first bytes (magic) and from the name; the two
 * must agree (one a kind of the other: a .docx is a ZIP, a .csv is text), so a program renamed "report.pdf" is found
 * out; and programs, scripts and web pages are refused outright, whatever their name, since one click on them can
 * run code (they would be served as downloads in any case, see the file controller).
 */
@Component
public class FileCheck {

    /** Refused with every kind of themselves (an .exe is an application/x-msdownload). */
    private static final List<MediaType> PROGRAMS = List.of(MediaType.parse("application/x-msdownload"),
            MediaType.parse("application/x-executable"), MediaType.parse("application/x-sharedlib"),
            MediaType.parse("application/x-elf"), MediaType.parse("application/x-mach-o"),
            MediaType.parse("application/x-ms-installer"), MediaType.parse("application/java-archive"),
            MediaType.parse("application/vnd.android.package-archive"), MediaType.parse("application/x-sh"),
            MediaType.parse("application/x-bat"), MediaType.parse("application/x-msdos-program"),
            MediaType.parse("text/html"), MediaType.parse("application/xhtml+xml"),
            MediaType.parse("image/svg+xml"), MediaType.parse("application/x-powershell"));
    /** Refused only as exactly themselves: JSON is a kind of JavaScript to Tika, and JSON is fine to share. */
    private static final Set<MediaType> SCRIPTS = Set.of(MediaType.parse("text/javascript"),
            MediaType.parse("application/javascript"), MediaType.parse("text/x-vbscript"),
            MediaType.parse("application/x-vbscript"), MediaType.parse("text/x-python"),
            MediaType.parse("application/x-python-code"), MediaType.parse("application/x-perl"));

    private final MimeTypes types = MimeTypes.getDefaultMimeTypes();
    private final MediaTypeRegistry registry = types.getMediaTypeRegistry();

    /**
     * The file's type, the more precise of the two readings.
     *
     * @throws FileRefusedException MISMATCH when its bytes are not what its name says, DANGEROUS for a program,
     *     script or web page
     */
    public MediaType check(Path file, String name) throws IOException {
        MediaType byContent;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            byContent = types.detect(in, new Metadata());
        }
        Metadata named = new Metadata();
        named.set(TikaCoreProperties.RESOURCE_NAME_KEY, name);
        MediaType byName = types.detect(null, named);
        if (dangerous(byContent) || dangerous(byName)) {
            throw new FileRefusedException(FileRefusedException.Reason.DANGEROUS,
                    "Programs, scripts and web pages cannot be shared in the chat.");
        }
        boolean binaryNamedAsText = byContent.equals(MediaType.OCTET_STREAM)
                && registry.isInstanceOf(byName, MediaType.TEXT_PLAIN);
        if (binaryNamedAsText) {
            throw mismatch(name);
        }
        if (registry.isInstanceOf(byName, byContent)) {
            return byName;
        }
        if (registry.isInstanceOf(byContent, byName)) {
            return byContent;
        }
        throw mismatch(name);
    }

    private boolean dangerous(MediaType type) {
        MediaType plain = type.getBaseType();
        return SCRIPTS.contains(plain) || PROGRAMS.stream().anyMatch(p -> registry.isInstanceOf(plain, p));
    }

    private static FileRefusedException mismatch(String name) {
        return new FileRefusedException(FileRefusedException.Reason.MISMATCH,
                "What \"" + name + "\" holds does not match its name; rename it to what it is.");
    }
}
