package dev.reelflux.inference;

/** A model could not be loaded or warmed up: a missing or malformed file, an unknown device, an engine failure. */
public class ModelLoadException extends InferenceException {

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
