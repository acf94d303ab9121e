package dev.reelflux.inference.internal;

import dev.reelflux.inference.FrameAnalysis;
import dev.reelflux.inference.FrameResult;
import dev.reelflux.inference.InferenceException;
import reactor.core.publisher.Flux;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Joins the results of several models on one clip into one {@link FrameAnalysis} per frame, in display order. Each
 * model delivers its results in frame order and then one {@link End}; a frame is complete once every model has
 * delivered it, delivered a later frame, or ended (a model that skipped the frame has no entry).
 *
 * <p>When a model fails, the frames it finished are still joined once the other models
 * have caught up with them; then the clip ends with that failure as an {@link InferenceException} naming the
 * model. Any other error (the decoder's or
 * the source's, which reaches every model after the frames decoded before it) ends the clip once every model has
 * ended, after every frame. Not thread-safe: fed by one {@code concatMap}.
 */
public final class FrameJoin {

    /** What a model delivers. */
    public sealed interface Item permits Result, End {
    }

    /** Model {@code model}'s result for one frame. */
    public record Result(int model, FrameResult result) implements Item {
    }

    /**
     * Model {@code model} delivered all it will: it completed ({@code error} null) or failed, in its own stages
     * ({@code ownFailure}: the model, its output decoding) or upstream of them (the decoder, the source).
     */
    public record End(int model, Throwable error, boolean ownFailure) implements Item {
    }

    private final List<String> names;
    private final long[] last;
    private final boolean[] ended;
    private final TreeMap<Long, Map<String, FrameResult>> pending = new TreeMap<>();
    /** Frames after this one are never joined: a model failed after finishing it. */
    private long horizon = Long.MAX_VALUE;
    private InferenceException modelFailure;
    private Throwable otherError;

    public FrameJoin(List<String> names) {
        this.names = List.copyOf(names);
        this.last = new long[names.size()];
        this.ended = new boolean[names.size()];
        Arrays.fill(last, -1);
    }

    /** The frames {@code item} completes, followed by the error that ends the clip when it ends it. */
    public Flux<FrameAnalysis> accept(Item item) {
        if (item instanceof Result result) {
            long index = result.result().frameIndex();
            pending.computeIfAbsent(index, k -> new LinkedHashMap<>()).put(names.get(result.model()), result.result());
            last[result.model()] = index;
        } else if (item instanceof End end) {
            ended[end.model()] = true;
            if (end.ownFailure() && modelFailure == null) {
                String name = names.get(end.model());
                modelFailure = end.error() instanceof InferenceException failure ? failure.forModel(name)
                        : new InferenceException(name, String.valueOf(end.error()), end.error());
                horizon = last[end.model()];
            } else if (end.error() != null && otherError == null) {
                otherError = end.error();
            }
        }
        Flux<FrameAnalysis> complete = Flux.fromIterable(completeFrames());
        Throwable ending = modelFailure != null && allPast(horizon) ? modelFailure
                : allEnded() && modelFailure == null ? otherError : null;
        return ending == null ? complete : complete.concatWith(Flux.error(ending));
    }

    private List<FrameAnalysis> completeFrames() {
        List<FrameAnalysis> complete = new ArrayList<>();
        while (!pending.isEmpty() && pending.firstKey() <= horizon && allPast(pending.firstKey())) {
            Map.Entry<Long, Map<String, FrameResult>> frame = pending.pollFirstEntry();
            double time = frame.getValue().values().iterator().next().timeSeconds();
            complete.add(new FrameAnalysis(frame.getKey(), time, ordered(frame.getValue())));
        }
        return complete;
    }

    /** Whether no model can deliver frame {@code index} or an earlier one any more. */
    private boolean allPast(long index) {
        for (int model = 0; model < names.size(); model++) {
            if (!ended[model] && last[model] < index) {
                return false;
            }
        }
        return true;
    }

    private boolean allEnded() {
        for (boolean end : ended) {
            if (!end) {
                return false;
            }
        }
        return true;
    }

    /** The results in the order the models were given, whatever order they came in. */
    private Map<String, FrameResult> ordered(Map<String, FrameResult> results) {
        Map<String, FrameResult> ordered = new LinkedHashMap<>();
        for (String name : names) {
            FrameResult result = results.get(name);
            if (result != null) {
                ordered.put(name, result);
            }
        }
        return ordered;
    }
}
