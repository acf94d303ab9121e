package dev.reelflux.inference;

import dev.reelflux.core.ReelfluxException;

/**
 * A batch could not be run through the model (the model raised, the engine failed, the worker was closed). It fails
 * only the stream that submitted the batch; the worker goes on serving the others.
 */
public class InferenceException extends ReelfluxException {

    public InferenceException(String message, Throwable cause) {
        super("inference", message, cause);
    }
}
