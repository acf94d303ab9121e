package dev.reelflux.inference;

import java.util.List;

/**
 * What the model returned for one {@link FrameBatch}: its outputs (batch dimension first), copied to the heap, and the
 * frames they belong to, in slot order. A plain value: the batch's slab is already back in its pool.
 *
 * @param frames  the batch's frames; index {@code i} of an output's first dimension is {@code frames.get(i)}
 * @param outputs the model outputs, in the order the model returns them
 */
public record BatchResult(List<FrameInfo> frames, List<OutputTensor> outputs) {

    public BatchResult {
        frames = List.copyOf(frames);
        outputs = List.copyOf(outputs);
    }

    /** Output {@code index}. */
    public OutputTensor output(int index) {
        if (index >= outputs.size()) {
            throw new IllegalArgumentException("the model has " + outputs.size() + " outputs, asked for #" + index);
        }
        return outputs.get(index);
    }
}
