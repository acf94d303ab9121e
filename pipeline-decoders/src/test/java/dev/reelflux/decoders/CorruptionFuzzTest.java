package dev.reelflux.decoders;

import dev.reelflux.core.ReelfluxException;
import dev.reelflux.core.testing.MemorySource;
import dev.reelflux.decoders.testing.Corruptions;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.decoders.testing.TestVideo.Codec;
import dev.reelflux.decoders.testing.TestVideo.Container;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged clips (bit flips, cuts, inserted and deleted runs, header damage; fixed seeds, bounded count), decoded whole
 * and with selections that fetch only part of the file: FFmpeg runs on them in-process, so any crash here would take
 * the JVM down. Every run must end, within the decoder's deadline, with its frames or a typed error.
 */
@ExtendWith(NativeLeakGate.class)
class CorruptionFuzzTest {

    private static final int RUNS = 100;
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    static Stream<Arguments> clips() {
        return Stream.of(
                Arguments.of(Codec.H264, Container.MP4_FASTSTART),
                Arguments.of(Codec.H264, Container.MP4_MOOV_AT_END),
                Arguments.of(Codec.H264, Container.MPEGTS),
                Arguments.of(Codec.MPEG4, Container.MKV));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("clips")
    void damagedClipsEndWithFramesOrATypedErrorNeverACrashOrAHang(Codec codec, Container container) {
        byte[] clip = TestVideo.create().optCodec(codec).optContainer(container).optSize(160, 120)
                .optFrames(30).optGop(10).optBFrames(codec.supportsBFrames() ? 2 : 0).toBytes();
        VideoDecoder all = VideoDecoder.create().optThreads(2).optDeadline(DEADLINE);
        // Selections that read only what the index says they need (MP4): damage there must not mislead the plan.
        List<VideoDecoder> decoders = List.of(all, all.optFrameFilter(i -> i % 10 < 3), all.optKeyframesOnly(true));
        Random random = new Random(container.ordinal() * 1_000L + codec.ordinal());
        Map<String, Integer> outcomes = new TreeMap<>();

        for (int run = 0; run < RUNS; run++) {
            byte[] damaged = Corruptions.mutate(clip, random);
            String outcome;
            try {
                long frames = decoders.get(run % decoders.size())
                        .decode(MemorySource.of(damaged).withRandomChunks(512, 16 << 10, run))
                        .doOnNext(VideoFrame::close).count().block(DEADLINE.plusSeconds(5));
                outcome = frames > 0 ? "frames" : "no frames";
            } catch (ReelfluxException e) {
                outcome = e.getClass().getSimpleName();
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }

        System.out.printf("fuzz %s in %s: %s%n", codec, container, outcomes);
        assertThat(outcomes).as("outcomes").doesNotContainKey("DecodeTimeoutException");
        // The damage must reach both ends: clips that still play and clips that fail.
        assertThat(outcomes).containsKey("frames").hasSizeGreaterThan(1);
    }
}
