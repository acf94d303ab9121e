package dev.reelflux.inference.internal;

import dev.reelflux.core.TimeBudget;
import dev.reelflux.inference.StrideChange;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Keeps a clip inside its time budget by thinning each model's frames evenly for the rest of the clip, never by
 * dropping its tail: from the rates measured while the clip runs, it estimates when the rest would finish at each
 * stride and keeps, for each model, the smallest stride whose estimate fits the deadline less a margin. The estimate is
 * the later of two: the frames still to come at the input's pace (how fast frames come out of the decoder while no
 * model holds it back, which folds in how fast the bytes arrive), and each model's frames at its own pace (frames per
 * second of model time, known from earlier clips until the clip's own batches come back; models that share a worker
 * share the time left). It plans when the clip opens, every few decoded frames and after every batch; it widens the
 * stride when the rates fall behind and narrows it again, with room to spare, when they recover.
 *
 * <p>A stride counts the model's candidate frames: those it is asked about, which are the frames the decoder's and the
 * model's own selections already keep, so that a stride of 2 on top of a selection of every other frame takes every
 * fourth frame rather than aliasing with it. The clip's last frame is always kept, so that a fill between inferred
 * frames reaches the end. A change applies from a little past the last decoded frame ({@value #LOOKAHEAD} frames: the
 * decoder asks about a packet before its frame comes out, in decode order), and each frame's answer under it is
 * decided once, so the decoder's questions about one frame get one answer. Thread-safe.
 */
public final class StridePlanner {

    /** Frames past the last decoded one that the decoder may have asked about already. */
    static final int LOOKAHEAD = 8;
    /** The share of the time left a narrower stride must fit in. */
    private static final double NARROWING_ROOM = 0.75;
    /** Decoded frames between plans that no batch result prompts; also the span the input's pace is averaged over. */
    private static final int PLAN_EVERY = 8;

    /**
     * A model as the planner sees it.
     *
     * @param priorNanosPerFrame its time per frame from before this clip (NaN: unknown), used until the clip's own
     *                           batches come back
     * @param worker             its worker, by identity: models with the same one share its time
     */
    public record Model(String name, double priorNanosPerFrame, Object worker) {
    }

    private final List<Model> models;
    /** For each model, how many models share its worker (itself included). */
    private final int[] sharing;
    private final TimeBudget budget;
    private final long marginNanos;
    private final int minStride;
    private final int maxStride;
    private final LongSupplier clock;
    private final long startNanos;
    private volatile BooleanSupplier heldBack = () -> false;

    // Guarded by this.
    private final List<List<Rule>> rules = new ArrayList<>();
    private final List<BitSet> asked = new ArrayList<>();
    private final List<BitSet> wanted = new ArrayList<>();
    private final long[] inferred;
    private final long[] modelNanos;
    private final List<StrideChange> changes = new ArrayList<>();
    private long frameCount = -1;
    private long decoded;
    private long lastDecoded = -1;
    private long lastDecodedNanos = -1;
    /** The input's pace: a moving average of the time between decoded frames while no model held the decoder back. */
    private double inputNanosPerFrame = Double.NaN;

    /** Every {@code stride}-th candidate frame from frame {@code from} on, in the order they are asked about. */
    private static final class Rule {
        final long from;
        final int stride;
        private final Map<Long, Boolean> decided = new HashMap<>();
        private long candidates;

        Rule(long from, int stride) {
            this.from = from;
            this.stride = stride;
        }

        boolean wants(long index) {
            return stride == 1 || decided.computeIfAbsent(index, i -> candidates++ % stride == 0);
        }
    }

    public StridePlanner(List<Model> models, TimeBudget budget, long marginNanos, int minStride, int maxStride,
                         LongSupplier clock) {
        this.models = List.copyOf(models);
        this.sharing = new int[models.size()];
        for (int m = 0; m < models.size(); m++) {
            for (Model other : models) {
                sharing[m] += other.worker() == models.get(m).worker() ? 1 : 0;
            }
        }
        this.budget = budget;
        this.marginNanos = marginNanos;
        this.minStride = minStride;
        this.maxStride = maxStride;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
        this.inferred = new long[models.size()];
        this.modelNanos = new long[models.size()];
        for (int m = 0; m < models.size(); m++) {
            rules.add(new ArrayList<>(List.of(new Rule(0, minStride))));
            asked.add(new BitSet());
            wanted.add(new BitSet());
        }
    }

    /**
     * Whether a model holds the decoder back now (every slab of its clip out), as the clip's pools tell once taken:
     * the time between frames then is the model's pace, not the input's.
     */
    public void watch(BooleanSupplier heldBack) {
        this.heldBack = heldBack;
    }

    /** Whether model {@code model} runs on candidate frame {@code index}. */
    public synchronized boolean wants(int model, long index) {
        List<Rule> modelRules = rules.get(model);
        Rule rule = modelRules.get(0);
        for (int i = modelRules.size() - 1; i >= 0; i--) {
            if (index >= modelRules.get(i).from) {
                rule = modelRules.get(i);
                break;
            }
        }
        // Timestamps can number the last frame past the declared count (a cut clip's edit list): any such is kept too.
        boolean wants = rule.wants(index) || frameCount > 0 && index >= frameCount - 1;
        asked.get(model).set((int) index);
        wanted.get(model).set((int) index, wants);
        return wants;
    }

    /** The clip's length in frames, once known (-1 or 0: unknown, and nothing is planned): plan from the start. */
    public synchronized void clipFrames(long frames) {
        this.frameCount = frames;
        plan();
    }

    /** A frame came out of the decoder; every {@value #PLAN_EVERY} frames, plan anew. */
    public synchronized void frameDecoded(long index) {
        long now = clock.getAsLong();
        // The wait for the first frame is the stream's opening, not the pace of its frames; a wait while a model held
        // the decoder back is the model's pace.
        if (lastDecodedNanos >= 0 && !heldBack.getAsBoolean()) {
            long gap = now - lastDecodedNanos;
            inputNanosPerFrame = Double.isNaN(inputNanosPerFrame) ? gap
                    : inputNanosPerFrame + (gap - inputNanosPerFrame) / PLAN_EVERY;
        }
        lastDecodedNanos = now;
        decoded++;
        lastDecoded = Math.max(lastDecoded, index);
        if (decoded % PLAN_EVERY == 0) {
            plan();
        }
    }

    /** Model {@code model} ran {@code frames} frames in {@code nanos} of model time: plan anew. */
    public synchronized void batchDone(int model, int frames, long nanos) {
        inferred[model] += frames;
        modelNanos[model] += Math.max(0, nanos);
        plan();
    }

    /** Every change of stride, in order; each model starts at the smallest stride. */
    public synchronized List<StrideChange> changes() {
        return List.copyOf(changes);
    }

    /** Frames model {@code m} was given, up to the last decoded one, that it has not returned yet. */
    private double pending(int m) {
        int seen = (int) Math.min(Integer.MAX_VALUE, lastDecoded + 1);
        return Math.max(0, wanted.get(m).get(0, seen).cardinality() - inferred[m]);
    }

    private void plan() {
        long now = clock.getAsLong();
        long framesLeft = frameCount - (lastDecoded + 1);
        if (frameCount <= 0 || framesLeft <= 0) {
            return;
        }
        double left = budget.remaining().toNanos() - marginNanos;
        double inputLeft = Double.isNaN(inputNanosPerFrame) ? 0 : framesLeft * inputNanosPerFrame;
        for (int m = 0; m < models.size(); m++) {
            double nanosPerFrame = inferred[m] > 0 ? (double) modelNanos[m] / inferred[m]
                    : models.get(m).priorNanosPerFrame();
            if (Double.isNaN(nanosPerFrame)) {
                continue;
            }
            int seen = (int) Math.min(Integer.MAX_VALUE, lastDecoded + 1);
            // The share of frames that are candidates for this model so far (all of them before the first).
            double density = seen == 0 ? 1 : (double) asked.get(m).get(0, seen).cardinality() / seen;
            double candidatesLeft = framesLeft * density;
            double pending = pending(m);
            double share = left / sharing[m];
            List<Rule> modelRules = rules.get(m);
            Rule current = modelRules.get(modelRules.size() - 1);
            // Where the input alone would miss the deadline, no stride fits: the widest one leaves the most frames
            // undecoded (a thinned selection skips the frames no other frame refers to) and the model the most time.
            int stride = maxStride;
            for (int k = minStride; k <= maxStride; k++) {
                // Narrower than now only with room to spare, so that noise in the rates does not make the stride
                // swing (every swing leaves a gap as wide as the widest stride).
                double room = k < current.stride ? NARROWING_ROOM : 1;
                if (inputLeft <= room * left
                        && (pending + Math.ceil(candidatesLeft / k)) * nanosPerFrame <= room * share) {
                    stride = k;
                    break;
                }
            }
            if (stride == current.stride) {
                continue;
            }
            // Before the first frame nothing was asked that matters (a read plan's questions only shape what is
            // fetched), so the first choice can start at frame 0.
            long from = decoded == 0 ? 0 : lastDecoded + 1 + LOOKAHEAD;
            if (from >= frameCount) {
                continue;
            }
            if (from <= current.from) {
                // No frame was decoded under the last change: it is replaced.
                modelRules.remove(modelRules.size() - 1);
                from = current.from;
            }
            modelRules.add(new Rule(from, stride));
            double modelFinish = (pending + Math.ceil(candidatesLeft / stride)) * nanosPerFrame * sharing[m];
            changes.add(new StrideChange(models.get(m).name(), from, stride, (now - startNanos) / 1e6,
                    (now - startNanos + Math.max(inputLeft, modelFinish)) / 1e6));
        }
    }
}
