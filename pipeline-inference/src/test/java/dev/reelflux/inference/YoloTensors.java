package dev.reelflux.inference;

import dev.reelflux.decoders.Letterbox;

import java.util.List;

/** Hand-written YOLO outputs: each image a list of anchors, each anchor its channel values. */
final class YoloTensors {

    private YoloTensors() {
    }

    /** The V8 layout {@code [N, C, A]} of {@code images[n][a][c]}. */
    static OutputTensor channelsFirst(float[][]... images) {
        int anchors = images[0].length;
        int channels = images[0][0].length;
        float[] data = new float[images.length * channels * anchors];
        for (int n = 0; n < images.length; n++) {
            for (int a = 0; a < anchors; a++) {
                for (int c = 0; c < channels; c++) {
                    data[(n * channels + c) * anchors + a] = images[n][a][c];
                }
            }
        }
        return new OutputTensor(new int[] {images.length, channels, anchors}, data);
    }

    /** The V5 layout {@code [N, A, C]} of {@code images[n][a][c]}. */
    static OutputTensor anchorsFirst(float[][]... images) {
        int anchors = images[0].length;
        int channels = images[0][0].length;
        float[] data = new float[images.length * anchors * channels];
        for (int n = 0; n < images.length; n++) {
            for (int a = 0; a < anchors; a++) {
                System.arraycopy(images[n][a], 0, data, (n * anchors + a) * channels, channels);
            }
        }
        return new OutputTensor(new int[] {images.length, anchors, channels}, data);
    }

    static float[] anchor(float... channels) {
        return channels;
    }

    /** A result for frames {@code 0..n-1} of a 640x640 source that is the model input. */
    static BatchResult unscaled(OutputTensor output) {
        List<FrameInfo> frames = new java.util.ArrayList<>();
        for (int i = 0; i < output.dim(0); i++) {
            frames.add(new FrameInfo(i, i / 25.0, Letterbox.identity(640, 640)));
        }
        return new BatchResult(frames, List.of(output));
    }
}
