package dev.reelflux.core;

/**
 * Root of every error reelflux signals. Each failure has its own subclass so callers can tell them apart without
 * parsing messages; {@link #stage()} names the pipeline stage that failed.
 */
public class ReelfluxException extends RuntimeException {

    private final String stage;

    public ReelfluxException(String stage, String message, Throwable cause) {
        super(stage + ": " + message, cause);
        this.stage = stage;
    }

    /** The stage that failed, such as {@code "http"}, {@code "file"} or {@code "decode"}. */
    public String stage() {
        return stage;
    }
}
