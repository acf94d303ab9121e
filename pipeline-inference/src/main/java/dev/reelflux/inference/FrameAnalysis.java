package dev.reelflux.inference;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every model's findings for one frame, by model name: what {@link ModelFanOut} and {@link VideoAnalysis} emit per
 * frame. A model whose {@linkplain ModelBranch#optFrameFilter selection} left the frame out has no entry.
 *
 * @param frameIndex  the frame's index in its stream (display order)
 * @param timeSeconds the frame's presentation time
 * @param models      model name to that model's result, in the order the models were given
 */
public record FrameAnalysis(long frameIndex, double timeSeconds, Map<String, FrameResult> models) {

    public FrameAnalysis {
        // Kept for every frame of a clip by those who gather the results, so a frame no model ran on shares one map.
        models = models.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(models));
    }

    /** What model {@code name} found in this frame, or empty when it did not run on it. */
    public Optional<FrameResult> model(String name) {
        return Optional.ofNullable(models.get(Objects.requireNonNull(name, "name")));
    }
}
