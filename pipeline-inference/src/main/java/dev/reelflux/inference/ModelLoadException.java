package dev.reelflux.inference;

/** A model could not be loaded or warmed up: a missing or malformed file, an unknown device, an engine failure. */
public class ModelLoadException extends InferenceException {

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure to load or warm up the model named {@code model}. */
    public ModelLoadException(String model, String message, Throwable cause) {
        super(model, message, cause);
    }

    @Override
    public ModelLoadException forModel(String name) {
        return new ModelLoadException(name, detail(), this);
    }
}
