package dev.reelflux.inference.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Class-wise greedy non-maximum suppression with a cap on the boxes kept.
 *
 * <p>Same result as DJL's {@code YoloV5Translator.nms} (per class {@code Rectangle.nms}) followed by a top-K, but
 * DJL re-heapifies every remaining box after each pick and has no early stop; here one sort, then each candidate is
 * compared only with the boxes already kept (at most {@code maxKept}), and the scan stops when the cap is reached.
 * IoU is the plain area ratio (as torchvision's, which Ultralytics uses), without DJL's +1 pixel convention.
 */
public final class Nms {

    private static final Comparator<BoxCandidate> BEST_FIRST =
            Comparator.comparingDouble(BoxCandidate::score).reversed();

    private Nms() {
    }

    /**
     * The candidates that survive, best score first: a box is dropped when its IoU with a kept box of the same class
     * is above {@code iouThreshold}. Equal scores keep the candidates' order.
     */
    public static List<BoxCandidate> select(List<BoxCandidate> candidates, float iouThreshold, int maxKept) {
        List<BoxCandidate> sorted = new ArrayList<>(candidates);
        sorted.sort(BEST_FIRST);
        List<BoxCandidate> kept = new ArrayList<>();
        for (BoxCandidate candidate : sorted) {
            if (kept.size() == maxKept) {
                break;
            }
            if (!suppressed(candidate, kept, iouThreshold)) {
                kept.add(candidate);
            }
        }
        return kept;
    }

    private static boolean suppressed(BoxCandidate candidate, List<BoxCandidate> kept, float iouThreshold) {
        for (BoxCandidate better : kept) {
            if (better.classId() == candidate.classId() && better.iou(candidate) > iouThreshold) {
                return true;
            }
        }
        return false;
    }
}
