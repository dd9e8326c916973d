package io.vidrd.ui.jobs;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Job ids of the UI: 128 random bits as 32 lowercase hex digits. The UI makes its own ids
 * rather than showing the engine's, so their form never depends on which engine ran the job.
 */
public final class JobIds {

    /** What an id looks like; anything else is not a job. */
    public static final Pattern PATTERN = Pattern.compile("[0-9a-f]{32}");

    private final SecureRandom random = new SecureRandom();

    /** @return a new, unguessable id */
    public String next() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * @param s any string, possibly {@code null}
     * @return whether it has the form of an id
     */
    public static boolean isWellFormed(String s) {
        return s != null && PATTERN.matcher(s).matches();
    }
}
