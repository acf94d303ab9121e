package dev.reelflux.inference;

import java.util.List;

/**
 * What the model returned for one {@link FrameBatch}: its outputs (batch dimension first), copied to the heap, and the
 * frames they belong to, in slot order. A plain value: the batch's slab is already back in its pool.
 *
 * @param frames            the batch's frames; index {@code i} of an output's first dimension is {@code frames.get(i)}
 * @param outputs           the model outputs, in the order the model returns them
 * @param predictStartNanos {@link System#nanoTime()} when an {@link InferenceWorker} started the model on the batch
 *                          (so the time queued before it is not counted as model time), or -1 when it did not
 * @param predictEndNanos   {@link System#nanoTime()} when the model was done, or -1
 */
public record BatchResult(List<FrameInfo> frames, List<OutputTensor> outputs, long predictStartNanos,
                          long predictEndNanos) {

    public BatchResult {
        frames = List.copyOf(frames);
        outputs = List.copyOf(outputs);
    }

    /** A result not timed by a worker: what a {@link BatchModel} returns. */
    public BatchResult(List<FrameInfo> frames, List<OutputTensor> outputs) {
        this(frames, outputs, -1, -1);
    }

    /** This result, timed by the worker that ran it. */
    BatchResult timed(long startNanos, long endNanos) {
        return new BatchResult(frames, outputs, startNanos, endNanos);
    }

    /** Output {@code index}. */
    public OutputTensor output(int index) {
        if (index >= outputs.size()) {
            throw new IllegalArgumentException("the model has " + outputs.size() + " outputs, asked for #" + index);
        }
        return outputs.get(index);
    }
}
