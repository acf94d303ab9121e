package dev.reelflux.inference;

/**
 * A model that runs a whole {@link FrameBatch} at once on the calling thread. Implementations need not be
 * thread-safe: an {@link InferenceWorker} calls one only from its own thread. {@link DetectorModel} is the DJL one;
 * tests plug in their own.
 */
public interface BatchModel extends AutoCloseable {

    /**
     * Runs the model over the batch's filled slots. Does not close the batch (its caller owns it).
     *
     * @throws InferenceException when the model or the engine fails on this batch; the model stays usable
     */
    BatchResult predict(FrameBatch batch);

    /** Pays one-time lazy initialisation (kernel selection, graph optimisation) before the first real batch. */
    default void warmUp() {
    }

    /** Frees the model; later calls fail. */
    @Override
    void close();
}
