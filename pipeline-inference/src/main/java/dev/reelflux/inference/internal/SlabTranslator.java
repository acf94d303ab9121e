package dev.reelflux.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.reelflux.inference.BatchResult;
import dev.reelflux.inference.FrameBatch;
import dev.reelflux.inference.FrameInfo;
import dev.reelflux.inference.OutputTensor;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link FrameBatch} in, {@link BatchResult} out. No batchifier: the slab already is the batch tensor.
 *
 * <p>Every NDArray is created in the context's manager, a sub-manager the predictor opens for one predict call and
 * closes at its end, so no NDArray outlives the call and the slab can go back to its pool right after it.
 */
public final class SlabTranslator implements NoBatchifyTranslator<FrameBatch, BatchResult> {

    private static final String FRAMES = "reelflux.frames";

    /** The model parameters' type: a half-precision export gets FP16 input, anything else FP32. */
    private DataType inputType = DataType.FLOAT32;

    @Override
    public void prepare(TranslatorContext ctx) {
        for (var parameter : ctx.getModel().getBlock().getParameters()) {
            Parameter value = parameter.getValue();
            if (value.isInitialized() && value.getArray().getDataType().isFloating()) {
                inputType = value.getArray().getDataType();
                return;
            }
        }
    }

    @Override
    public NDList processInput(TranslatorContext ctx, FrameBatch batch) {
        ctx.setAttachment(FRAMES, batch.frames());
        NDArray input = SlabTensors.wrap(ctx.getNDManager(), batch);
        return new NDList(inputType == DataType.FLOAT32 ? input : input.toType(inputType, false));
    }

    @Override
    @SuppressWarnings("unchecked")
    public BatchResult processOutput(TranslatorContext ctx, NDList outputs) {
        List<OutputTensor> copies = new ArrayList<>(outputs.size());
        for (NDArray output : outputs) {
            copies.add(SlabTensors.copyOut(output));
        }
        return new BatchResult((List<FrameInfo>) ctx.getAttachment(FRAMES), copies);
    }
}
