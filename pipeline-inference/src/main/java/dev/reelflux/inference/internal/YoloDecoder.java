package dev.reelflux.inference.internal;

import dev.reelflux.inference.BatchResult;
import dev.reelflux.inference.Detection;
import dev.reelflux.inference.FrameInfo;
import dev.reelflux.inference.FrameResult;
import dev.reelflux.inference.Keypoint;
import dev.reelflux.inference.YoloSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a batched YOLO output into one {@link FrameResult} per frame: best class per anchor, confidence threshold,
 * class-wise NMS, top-K, then boxes and keypoints mapped back to source pixels through each frame's letterbox.
 *
 * <p>The per-anchor logic follows DJL's {@code YoloV8Translator} (max over the class channels, cx/cy/w/h to corners)
 * and {@code YoloV5Translator} (score = objectness x best class probability), and keypoints follow
 * {@code YoloPoseTranslator} (x, y, confidence triples after the scores). They are not called directly: they take one
 * image per NDArray, the pose translator hard-codes 17 keypoints and one class, and the box translators clamp corners
 * at 0 in model space, where the letterbox padding makes that the wrong edge; here clamping happens in source pixels.
 */
public final class YoloDecoder {

    private final YoloSpec spec;

    public YoloDecoder(YoloSpec spec) {
        this.spec = spec;
    }

    public List<FrameResult> decode(BatchResult result) {
        YoloOutput output = YoloOutput.of(result.output(spec.outputIndex()), spec.layout());
        List<FrameInfo> frames = result.frames();
        if (output.images() != frames.size()) {
            throw new IllegalArgumentException("output has " + output.images() + " images for " + frames.size()
                    + " frames");
        }
        YoloHead head = YoloHead.of(output.channels(), spec.layout(), spec.keypoints());
        List<FrameResult> results = new ArrayList<>(frames.size());
        for (int image = 0; image < frames.size(); image++) {
            FrameInfo frame = frames.get(image);
            List<BoxCandidate> kept = Nms.select(candidates(output, image, head), spec.iouThreshold(),
                    spec.maxDetections());
            List<Detection> detections = new ArrayList<>(kept.size());
            for (BoxCandidate box : kept) {
                detections.add(new Detection(box.classId(), box.score(),
                        frame.sourceX(box.x1()), frame.sourceY(box.y1()),
                        frame.sourceX(box.x2()), frame.sourceY(box.y2()),
                        keypoints(output, image, box.anchor(), head, frame)));
            }
            results.add(new FrameResult(frame.frameIndex(), frame.timeSeconds(), detections));
        }
        return results;
    }

    private List<BoxCandidate> candidates(YoloOutput output, int image, YoloHead head) {
        int anchors = output.anchors();
        float[] best = new float[anchors];
        int[] bestClass = new int[anchors];
        Arrays.fill(best, Float.NEGATIVE_INFINITY);
        // Class-major: in the V8 layout one class's scores for all anchors are contiguous, so this reads in order.
        for (int c = 0; c < head.classes(); c++) {
            int channel = head.firstClassChannel() + c;
            for (int a = 0; a < anchors; a++) {
                float score = output.get(image, channel, a);
                if (score > best[a]) {
                    best[a] = score;
                    bestClass[a] = c;
                }
            }
        }
        List<BoxCandidate> candidates = new ArrayList<>();
        for (int a = 0; a < anchors; a++) {
            float score = head.objectness() ? best[a] * output.get(image, head.objectnessChannel(), a) : best[a];
            if (score > spec.confidenceThreshold()) {
                float cx = output.get(image, 0, a);
                float cy = output.get(image, 1, a);
                float halfW = output.get(image, 2, a) / 2;
                float halfH = output.get(image, 3, a) / 2;
                candidates.add(new BoxCandidate(a, bestClass[a], score, cx - halfW, cy - halfH, cx + halfW, cy + halfH));
            }
        }
        return candidates;
    }

    private List<Keypoint> keypoints(YoloOutput output, int image, int anchor, YoloHead head, FrameInfo frame) {
        List<Keypoint> keypoints = new ArrayList<>(head.keypoints());
        for (int k = 0; k < head.keypoints(); k++) {
            int channel = head.keypointChannel(k);
            float confidence = output.get(image, channel + 2, anchor);
            if (confidence >= spec.keypointThreshold()) {
                keypoints.add(new Keypoint(k, frame.sourceX(output.get(image, channel, anchor)),
                        frame.sourceY(output.get(image, channel + 1, anchor)), confidence));
            }
        }
        return keypoints;
    }
}
