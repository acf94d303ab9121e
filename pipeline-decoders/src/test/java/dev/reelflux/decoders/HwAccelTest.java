package dev.reelflux.decoders;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.core.FileSource;
import dev.reelflux.decoders.testing.TestVideo.Codec;
import dev.reelflux.decoders.testing.TestVideo.Container;
import org.bytedeco.ffmpeg.avutil.AVBufferRef;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.bytedeco.ffmpeg.global.avutil.AV_HWDEVICE_TYPE_CUDA;
import static org.bytedeco.ffmpeg.global.avutil.av_buffer_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_hwdevice_ctx_create;

/** NVDEC when a CUDA device is there, software when it is not. */
@ExtendWith(NativeLeakGate.class)
class HwAccelTest {

    private static final int FRAMES = 30;

    private final Path clip = Clips.clip(Codec.H264, Container.MP4_FASTSTART, FRAMES, 25);

    @Test
    void cudaWithoutADeviceFallsBackToSoftware() {
        assumeThat(cudaPresent()).as("a CUDA device is present").isFalse();

        List<StreamInfo> streams = Frames.each(VideoDecoder.create().optHwAccel(HwAccel.CUDA)
                .decode(FileSource.of(clip)), frame -> {
                    assertThat(Stamps.read(frame)).isEqualTo(frame.index());
                    return frame.stream();
                });

        assertThat(streams).hasSize(FRAMES);
        assertThat(streams.get(0).hwAccel()).isEqualTo(HwAccel.NONE);
        assertThat(streams.get(0).decoder()).isEqualTo("h264");
    }

    @Test
    @Tag("gpu")
    void decodesOnTheGpuWhenCudaIsPresent() {
        assumeThat(cudaPresent()).as("a CUDA device is present").isTrue();

        List<Integer> stamps = Frames.each(VideoDecoder.create().optHwAccel(HwAccel.CUDA)
                .decode(FileSource.of(clip)), frame -> {
                    assertThat(frame.stream().hwAccel()).isEqualTo(HwAccel.CUDA);
                    assertThat(frame.pixelFormat()).isEqualTo("nv12");
                    return Stamps.read(frame);
                });
        List<Float> corners = Frames.each(VideoDecoder.create().optHwAccel(HwAccel.CUDA)
                .optOutput(FrameFormat.planarFloat(64, 64)).decode(FileSource.of(clip)),
                frame -> frame.data().getFloat(0));

        assertThat(stamps).containsExactlyElementsOf(IntStream.range(0, FRAMES).boxed().toList());
        assertThat(corners).hasSize(FRAMES).allMatch(value -> value >= 0 && value <= 1);
    }

    private static boolean cudaPresent() {
        try (PointerPointer<AVBufferRef> device = new PointerPointer<>(1)) {
            if (av_hwdevice_ctx_create(device, AV_HWDEVICE_TYPE_CUDA, (BytePointer) null, null, 0) < 0) {
                return false;
            }
            av_buffer_unref(device);
            return true;
        }
    }
}
