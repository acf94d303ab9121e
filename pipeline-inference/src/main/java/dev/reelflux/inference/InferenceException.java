package dev.reelflux.inference;

import dev.reelflux.core.ReelfluxException;

import java.util.Optional;

/**
 * A batch could not be run through the model (the model raised, the engine failed, the worker was closed). It fails
 * only the stream that submitted the batch; the worker goes on serving the others. In a pipeline of several models
 * ({@link ModelFanOut}) it names the model that failed.
 */
public class InferenceException extends ReelfluxException {

    private final String model;
    private final String detail;

    public InferenceException(String message, Throwable cause) {
        this(null, message, cause);
    }

    /** A failure of the model named {@code model} (null: unnamed). */
    public InferenceException(String model, String message, Throwable cause) {
        super("inference", model == null ? message : "model '" + model + "': " + message, cause);
        this.model = model;
        this.detail = message;
    }

    /** The name of the model that failed, when the pipeline named its models. */
    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    /** This failure, naming the model it happened in. */
    public InferenceException forModel(String name) {
        return new InferenceException(name, detail, this);
    }

    /** The message without the stage and model. */
    protected String detail() {
        return detail;
    }
}
