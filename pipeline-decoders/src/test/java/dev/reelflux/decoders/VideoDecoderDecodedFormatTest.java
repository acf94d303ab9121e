package dev.reelflux.decoders;

import dev.reelflux.core.FileSource;
import dev.reelflux.decoders.internal.SharedPicture;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.decoders.testing.TestVideo.Codec;
import dev.reelflux.decoders.testing.TestVideo.Container;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Frames handed on by reference: the pixels of a copy, no copy made, FFmpeg's buffers held until each frame closes. */
@ExtendWith(NativeLeakGate.class)
class VideoDecoderDecodedFormatTest {

    private static final int FRAMES = 30;

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"H264", "MPEG4", "VP9"})
    void planesHoldTheSamePixelsAsTheSourceCopy(Codec codec) {
        Path clip = Clips.clip(codec, codec == Codec.VP9 ? Container.WEBM : Container.MP4_FASTSTART, FRAMES, 10);

        List<String> shared = Frames.each(VideoDecoder.create().optOutput(FrameFormat.decoded())
                .decode(FileSource.of(clip)), VideoDecoderDecodedFormatTest::pixels);
        List<String> copied = Frames.each(VideoDecoder.create().decode(FileSource.of(clip)),
                VideoDecoderDecodedFormatTest::pixels);

        assertThat(shared).hasSize(FRAMES).isEqualTo(copied);
    }

    @Test
    void aFrameKeepsItsPixelsAfterTheDecodeEndedUntilItIsClosed() {
        Path clip = Clips.clip(Codec.H264, Container.MP4_FASTSTART, FRAMES, 10);

        List<VideoFrame> held = VideoDecoder.create().optOutput(FrameFormat.decoded()).decode(FileSource.of(clip))
                .collectList().block(Frames.TIMEOUT);
        Frames.awaitSessionsClosed();

        assertThat(held).hasSize(FRAMES);
        assertThat(SharedPicture.held()).isEqualTo(FRAMES);
        VideoFrame last = held.get(FRAMES - 1);
        assertThat(last.format()).isEqualTo(FrameFormat.decoded());
        assertThat(last.width()).isEqualTo(last.sourceWidth());
        assertThat(last.plane(0).get(0)).isNotNull();
        assertThatThrownBy(last::data).isInstanceOf(IllegalStateException.class).hasMessageContaining("plane(i)");
        // Refused before FFmpeg's frame is read: its array of plane pointers has no bounds.
        assertThatThrownBy(() -> last.plane(last.planes().size())).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> last.plane(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        held.forEach(VideoFrame::close);
        assertThat(SharedPicture.held()).isZero();
        assertThatThrownBy(() -> last.plane(0)).isInstanceOf(IllegalStateException.class);
    }

    /** The picture's rows without their padding, plane by plane, as hex. */
    private static String pixels(VideoFrame frame) {
        StringBuilder out = new StringBuilder(frame.pixelFormat());
        for (int i = 0; i < frame.planes().size(); i++) {
            Plane plane = frame.planes().get(i);
            ByteBuffer rows = frame.plane(i);
            int width = i == 0 ? frame.sourceWidth() : (frame.sourceWidth() + 1) / 2;
            byte[] row = new byte[width];
            for (int y = 0; y < plane.rows(); y++) {
                rows.get(y * plane.linesize(), row);
                out.append(HexFormat.of().formatHex(row));
            }
        }
        return out.toString();
    }
}
