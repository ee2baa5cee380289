package dev.parley.relay.srtp;

import java.util.Locale;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;

/**
 * Chooses jitsi-srtp's AES implementation once per process, before the first cipher exists.
 *
 * <p>Left alone, jitsi-srtp times each implementation once at first use and keeps the fastest. That single timing
 * runs on a cold JVM, so on a busy machine it sometimes keeps the JDK's (SunJCE) AES, which is slower to unprotect
 * and allocates about ten times more per packet than jitsi-srtp's OpenSSL back end (docs/performance.md). Parley
 * therefore uses OpenSSL whenever its native library loads. The system property {@code parley.srtp.aes} overrides
 * this: {@code OpenSSL}, {@code SunJCE}, {@code BouncyCastle}, or {@code auto} for jitsi-srtp's own timing.
 */
final class AesImplementation {

    static final String PROPERTY = "parley.srtp.aes";

    private static final String CHOSEN = choose(System.getProperty(PROPERTY, ""));

    private AesImplementation() {
    }

    /** Makes sure the choice was made; the first call, from {@link SrtpSession}'s initialisation, makes it. */
    static String chosen() {
        return CHOSEN;
    }

    private static String choose(String configured) {
        String wanted = configured.isBlank() ? null : configured.trim();
        if (wanted == null) {
            wanted = JitsiOpenSslProvider.isLoaded() ? "OpenSSL" : "auto";
        }
        if (!wanted.toLowerCase(Locale.ROOT).equals("auto")) {
            Aes.setFactoryClassName(wanted);
        }
        return wanted;
    }
}
