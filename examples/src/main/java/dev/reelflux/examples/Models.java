package dev.reelflux.examples;

import dev.reelflux.inference.DetectorModel;
import dev.reelflux.inference.InferenceWorker;
import dev.reelflux.inference.ModelBranch;
import dev.reelflux.inference.ModelLoadException;
import dev.reelflux.inference.ModelSpec;
import dev.reelflux.inference.YoloSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The models {@code analyze} and {@code serve} run, loaded and warm, each on its own worker: the object detector
 * ({@code --model}, results under {@value #OBJECTS}) and, with {@code --keypoint-model}, the pitch keypoint model
 * (results under {@value #KEYPOINTS}). The keypoints of a frame come from the keypoint model when there is one, else
 * from the detector's best detection ({@code --keypoints K} of a pose detector).
 */
final class Models implements AutoCloseable {

    static final String OBJECTS = "objects";
    static final String KEYPOINTS = "keypoints";

    private final InferenceWorker objects;
    private final InferenceWorker keypoints;
    private final int keypointCount;

    private Models(InferenceWorker objects, InferenceWorker keypoints, int keypointCount) {
        this.objects = objects;
        this.keypoints = keypoints;
        this.keypointCount = keypointCount;
    }

    /**
     * Loads and warms the models {@code options} name. The keypoint model's keypoint count is {@code --keypoints}
     * when given, else what its output says (a one-class pose head).
     *
     * @throws ModelLoadException naming the model that did not load, or whose output is not a pose head
     * @throws UsageException     when the keypoint count can be neither read nor derived
     */
    static Models load(PipelineOptions options) {
        InferenceWorker objects = start(OBJECTS, options.modelSpec()).worker();
        Optional<ModelSpec> keypointSpec = options.keypointSpec();
        if (keypointSpec.isEmpty()) {
            return new Models(objects, null, options.keypoints().orElse(0));
        }
        try {
            Started keypoints = start(KEYPOINTS, keypointSpec.get());
            try {
                return new Models(objects, keypoints.worker(),
                        options.keypoints().orElseGet(() -> keypointCount(keypoints.model())));
            } catch (RuntimeException e) {
                keypoints.worker().close();
                throw e;
            }
        } catch (RuntimeException e) {
            objects.close();
            throw e;
        }
    }

    private record Started(DetectorModel model, InferenceWorker worker) {
    }

    private static Started start(String name, ModelSpec spec) {
        try {
            DetectorModel model = DetectorModel.load(spec);
            return new Started(model, InferenceWorker.start(model));
        } catch (ModelLoadException e) {
            throw e.forModel(name);
        }
    }

    private static int keypointCount(DetectorModel model) {
        List<int[]> shapes = model.outputShapes();
        if (shapes.isEmpty()) {
            throw new UsageException("--keypoints: the keypoint model was not warmed up, so give its keypoint count");
        }
        try {
            return YoloSpec.keypointsOfOneClassPose(shapes.get(0)[1]);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(KEYPOINTS, e.getMessage() + "; give --keypoints K for another head", e);
        }
    }

    /** The models: the detector on every selected frame, the keypoint model every {@code --keypoint-stride}-th. */
    List<ModelBranch> branches(PipelineOptions options) {
        List<ModelBranch> branches = new ArrayList<>();
        branches.add(ModelBranch.create(OBJECTS, objects, options.modelSpec().slabShape())
                .optYolo(options.yolo(keypoints == null ? keypointCount : 0)));
        if (keypoints != null) {
            branches.add(ModelBranch.create(KEYPOINTS, keypoints, options.keypointSpec().orElseThrow().slabShape())
                    .optYolo(options.yolo(keypointCount)).optStride(options.keypointStride()));
        }
        return branches;
    }

    /** The name of the model whose best detection gives a frame's keypoints. */
    String keypointSource() {
        return keypoints == null ? OBJECTS : KEYPOINTS;
    }

    /** Keypoints per frame in the answers: K, or 0 without a pose model. */
    int keypointCount() {
        return keypointCount;
    }

    @Override
    public void close() {
        objects.close();
        if (keypoints != null) {
            keypoints.close();
        }
    }

    @Override
    public String toString() {
        return OBJECTS + " " + objects + (keypoints == null ? "" : ", " + KEYPOINTS + " " + keypoints + " (K="
                + keypointCount + ")");
    }
}
