package dev.reelflux.examples;

import dev.reelflux.core.AddressPolicy;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.inference.ObjectTracker;
import dev.reelflux.inference.VideoAnalysis;
import io.micrometer.core.instrument.MeterRegistry;
import picocli.CommandLine.Option;

/**
 * The options of the commands that run clips other people name ({@code serve}, {@code worker}) beyond the pipeline's
 * own: how large a video may be, whether private addresses are refused, and whether unanalysed frames are filled.
 */
final class ClipOptions {

    /** The largest video a clip may pull unless told otherwise. */
    private static final long DEFAULT_MAX_VIDEO_BYTES = 1L << 30;

    @Option(names = "--max-video-bytes", paramLabel = "1GiB", converter = Converters.BytesConverter.class,
            description = "the largest video a clip may pull (default 1GiB)")
    private long maxVideoBytes = DEFAULT_MAX_VIDEO_BYTES;
    @Option(names = "--refuse-private", description = "refuse videos on loopback, private or link-local addresses")
    private boolean refusePrivate;
    @Option(names = "--no-fill", description = "answer the analysed frames only")
    private boolean noFill;

    /**
     * Loads and warms the models {@code options} name and the pipeline through them; with a registry (null: none),
     * the clips and the HTTP client record into it from then on, so the warm-up clip is not counted.
     *
     * @throws UsageException for options that do not go together
     * @throws dev.reelflux.inference.ModelLoadException when a model does not load, naming it
     */
    Clips load(PipelineOptions options, MeterRegistry registry) {
        options.check();
        if (options.model().isEmpty()) {
            throw new UsageException("--model is required");
        }
        // The longest clip a caller may have decoded: two hours at 25 frames a second unless told otherwise.
        options.defaultMaxFrames((int) ChallengeAnswers.MOST_FRAMES);
        HttpSettings http = options.http(HttpSettings.create()).optMaxSize(maxVideoBytes);
        if (refusePrivate) {
            http = http.optAddressPolicy(AddressPolicy.publicOnly());
        }
        Models models = Models.load(options);
        try {
            // The first clip should not pay for loading FFmpeg and compiling the pipeline.
            VideoAnalysis analysis = options.analysis(models);
            Warmup.pipeline(analysis, http);
            if (registry != null) {
                analysis = analysis.optMetrics(registry);
                http = http.optMetrics(registry);
            }
            ChallengeAnswers answers = new ChallengeAnswers(ObjectTracker.create(),
                    models.keypointSource(), models.keypointCount(), !noFill, options.maxFrames());
            return new Clips(analysis, answers, http, models);
        } catch (RuntimeException e) {
            models.close();
            throw e;
        }
    }
}
