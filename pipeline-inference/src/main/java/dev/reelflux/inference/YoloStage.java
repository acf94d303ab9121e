package dev.reelflux.inference;

import dev.reelflux.inference.internal.YoloDecoder;
import reactor.core.publisher.Flux;

import java.util.List;
import java.util.function.Function;

/**
 * Post-processing of a YOLO detector or pose model: each {@link BatchResult} becomes one {@link FrameResult} per frame
 * (boxes above the confidence threshold, class-wise NMS, top-K, boxes and keypoints mapped back to source-frame
 * pixels). Plug it in with {@code results.transform(YoloStage.create(spec))}.
 *
 * <ul>
 *   <li><b>Emits</b> a batch's frame results, in frame order, on the thread that delivered the batch result.</li>
 *   <li><b>Backpressures</b> when downstream does: it requests one batch result at a time and emits its frames as
 *       downstream asks.</li>
 *   <li><b>Completes</b> when upstream completes and every frame result was emitted.</li>
 *   <li><b>Errors</b> with upstream's error, or an {@link IllegalArgumentException} when an output does not fit the
 *       spec (layout, keypoint count, one image per frame).</li>
 *   <li><b>Cancels</b> upstream; it holds no resources (batch results and frame results are plain values that the
 *       subscriber owns).</li>
 * </ul>
 */
public final class YoloStage implements Function<Flux<BatchResult>, Flux<FrameResult>> {

    private final YoloDecoder decoder;

    private YoloStage(YoloSpec spec) {
        this.decoder = new YoloDecoder(spec);
    }

    public static YoloStage create(YoloSpec spec) {
        return new YoloStage(spec);
    }

    /** Decodes one batch result without Reactor: one frame result per frame, in frame order. */
    public List<FrameResult> decode(BatchResult result) {
        return decoder.decode(result);
    }

    @Override
    public Flux<FrameResult> apply(Flux<BatchResult> results) {
        return results.concatMapIterable(this::decode, 1);
    }
}
