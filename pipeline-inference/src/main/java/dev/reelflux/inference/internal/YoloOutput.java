package dev.reelflux.inference.internal;

import dev.reelflux.inference.OutputTensor;
import dev.reelflux.inference.YoloLayout;

import java.util.Arrays;

/**
 * A batched YOLO output read in place as (image, channel, anchor), whichever of the two layouts it has.
 *
 * <p>DJL's translators transpose the NDArray first ({@code YoloV8Translator}: {@code rawResult.transpose()}) and
 * assume one image per tensor; here the batch is already a plain array, so strides do the transposition without
 * another NDArray or copy, and the image index picks the frame.
 */
public final class YoloOutput {

    private final float[] data;
    private final int images;
    private final int channels;
    private final int anchors;
    private final int channelStride;
    private final int anchorStride;

    private YoloOutput(float[] data, int images, int channels, int anchors, int channelStride, int anchorStride) {
        this.data = data;
        this.images = images;
        this.channels = channels;
        this.anchors = anchors;
        this.channelStride = channelStride;
        this.anchorStride = anchorStride;
    }

    public static YoloOutput of(OutputTensor tensor, YoloLayout layout) {
        if (tensor.rank() != 3) {
            throw new IllegalArgumentException("a YOLO output has 3 dimensions, got " + Arrays.toString(tensor.shape()));
        }
        int images = tensor.dim(0);
        return switch (layout) {
            case V8 -> new YoloOutput(tensor.data(), images, tensor.dim(1), tensor.dim(2), tensor.dim(2), 1);
            case V5 -> new YoloOutput(tensor.data(), images, tensor.dim(2), tensor.dim(1), 1, tensor.dim(2));
        };
    }

    public int images() {
        return images;
    }

    public int channels() {
        return channels;
    }

    public int anchors() {
        return anchors;
    }

    public float get(int image, int channel, int anchor) {
        return data[image * channels * anchors + channel * channelStride + anchor * anchorStride];
    }
}
