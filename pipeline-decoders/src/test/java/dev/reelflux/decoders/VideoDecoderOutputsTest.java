package dev.reelflux.decoders;

import dev.reelflux.core.FileSource;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.decoders.testing.TestVideo.Codec;
import dev.reelflux.decoders.testing.TestVideo.Container;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One decode, several renditions of each frame: one per output that wants it, each as a decoder of it alone. */
@ExtendWith(NativeLeakGate.class)
class VideoDecoderOutputsTest {

    private static final int FRAMES = 30;
    private static final FrameFormat WIDE = FrameFormat.planarFloat(96, 64).optLetterbox(true);
    private static final FrameFormat SMALL = FrameFormat.rgb24(40, 40);

    @Test
    void eachOutputGetsTheFramesItWantsInOrderAsADecoderOfItAloneWouldWriteThem() {
        Path clip = Clips.clip(Codec.H264, Container.MP4_FASTSTART, FRAMES, 10);
        AtomicInteger decoded = new AtomicInteger();
        VideoDecoder both = VideoDecoder.create().optListener(new DecodeListener() {
            @Override
            public void frameDecoded(long index, boolean selected) {
                decoded.incrementAndGet();
            }
        }).optOutputs(List.of(FrameOutput.of(WIDE), FrameOutput.of(SMALL).optFrameFilter(i -> i % 3 == 0)));

        List<String> renditions = Frames.each(both.decode(FileSource.of(clip)),
                frame -> frame.index() + "/" + frame.output() + "/" + Frames.sha256(frame));

        List<String> wide = Frames.each(VideoDecoder.create().optOutput(WIDE).decode(FileSource.of(clip)),
                frame -> frame.index() + "/0/" + Frames.sha256(frame));
        List<String> small = Frames.each(VideoDecoder.create().optOutput(SMALL).optFrameFilter(i -> i % 3 == 0)
                .decode(FileSource.of(clip)), frame -> frame.index() + "/1/" + Frames.sha256(frame));
        assertThat(renditions).hasSize(FRAMES + FRAMES / 3);
        assertThat(renditions.stream().filter(r -> r.contains("/0/")).toList()).isEqualTo(wide);
        assertThat(renditions.stream().filter(r -> r.contains("/1/")).toList()).isEqualTo(small);
        // A frame's renditions come one after the other, the first output's first.
        assertThat(renditions.get(0)).startsWith("0/0/");
        assertThat(renditions.get(1)).startsWith("0/1/");
        assertThat(renditions.get(2)).startsWith("1/0/");
        assertThat(decoded).as("one decode").hasValue(FRAMES);
    }

    @Test
    void framesNoOutputWantsAreNotSelectedAndTheLimitCountsFrames() {
        Path clip = Clips.clip(Codec.H264, Container.MP4_FASTSTART, FRAMES, 10);
        VideoDecoder decoder = VideoDecoder.create().optMaxFrames(4).optOutputs(List.of(
                FrameOutput.of(SMALL).optFrameFilter(i -> i % 4 == 0),
                FrameOutput.of(SMALL).optFrameFilter(i -> i % 4 == 2)));

        List<String> renditions = Frames.each(decoder.decode(FileSource.of(clip)),
                frame -> frame.index() + "/" + frame.output());

        assertThat(renditions).containsExactly("0/0", "2/1", "4/0", "6/1");
    }

    @Test
    void theOneOutputShorthandsRefuseADecoderWithSeveral() {
        VideoDecoder several = VideoDecoder.create().optOutputs(List.of(FrameOutput.of(WIDE), FrameOutput.of(SMALL)));

        assertThatThrownBy(() -> several.optOutput(SMALL)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 outputs");
        assertThatThrownBy(() -> several.optAllocator(FrameAllocator.pooled()))
                .isInstanceOf(IllegalStateException.class);
        assertThat(several.output()).isEqualTo(WIDE);
        assertThatThrownBy(() -> VideoDecoder.create().optOutputs(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
