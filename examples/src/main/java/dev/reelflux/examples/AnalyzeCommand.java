package dev.reelflux.examples;

import dev.reelflux.core.ByteSource;
import dev.reelflux.core.FileSource;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.InvalidSourceException;
import dev.reelflux.core.PipelineRecorder;
import dev.reelflux.decoders.DecodeListener;
import dev.reelflux.decoders.StreamInfo;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.inference.Analysis;
import dev.reelflux.inference.FrameResult;
import dev.reelflux.inference.ModelLoadException;
import dev.reelflux.inference.StrideChange;
import dev.reelflux.inference.VideoAnalysis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code analyze <url-or-file> [options]}: runs one clip through the pipeline (decode only without {@code --model})
 * and shows where the time went. Exit status 0 when the clip went through, 1 when it failed (the summary still shows
 * what was done), 2 for a wrong command line.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Runs one clip through the pipeline (decode only without --model) and prints where the time went."
                + " Exit status: 0 when the clip went through, 1 when it failed, 2 for a wrong command line.")
final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "url-or-file", description = "an http(s) URL or a local file")
    private String input;
    @Mixin
    private PipelineOptions options;
    @Option(names = "--output", paramLabel = "results.jsonl", description = "every frame's results, one JSON a line")
    private Path output;
    @Option(names = "--timeline", paramLabel = "out.svg", description = "the run as an SVG timeline")
    private Path timeline;
    @Option(names = "--summary-json", description = "the last line of stdout is the summary as one JSON object")
    private boolean summaryJson;
    @Option(names = "--no-progress", description = "no progress bar on stderr")
    private boolean noProgress;

    private final PrintStream out;
    private final PrintStream err;

    AnalyzeCommand() {
        this(System.out, System.err);
    }

    AnalyzeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Parses {@code args} as {@code analyze}'s (defaults from the environment) and runs; the exit status. */
    int run(String... args) {
        return Main.commandLine(this, out, err, System.getenv(), args).execute(args);
    }

    @Override
    public Integer call() {
        options.check();
        Analysis analysis;
        Models models = null;
        try (ProgressBar progress = noProgress ? null : ProgressBar.start(err)) {
            DecodeListener watching = progress == null ? DecodeListener.NONE : progress;
            HttpSettings http = options.http(HttpSettings.create());
            // The connection to the clip's host opens while the models load and warm up.
            Mono<Void> hostWarm = Warmup.host(input, http);
            if (options.model().isPresent()) {
                models = Models.load(options);
            }
            // The clock starts at the request, as a warm service's would: loading the model and the first-use
            // costs of the JVM, the HTTP client and FFmpeg are not the clip's time. The warm-up runs on the same
            // instances as the clip: VideoAnalysis keeps its slabs for the next clip.
            VideoAnalysis pipeline = models == null ? null
                    : options.analysis(models).optDecoder(chain(options.decoder(), watching));
            VideoDecoder decodeOnly = chain(options.decodeOnlyDecoder(), watching);
            if (pipeline != null) {
                Warmup.pipeline(pipeline, http);
            } else {
                Warmup.decoder(decodeOnly, http);
            }
            Warmup.await(hostWarm);
            PipelineRecorder recorder = PipelineRecorder.start();
            ByteSource source = source(input, http.optListener(recorder), recorder);
            analysis = pipeline != null ? pipeline.analyze(source, recorder).block()
                    : DecodeOnly.run(decodeOnly, source, recorder, options.budget());
        } catch (InvalidSourceException e) {
            throw new UsageException(e.getMessage());
        } catch (ModelLoadException e) {
            PipelineRecorder nothingRan = PipelineRecorder.start();
            analysis = new Analysis(null, List.of(), nothingRan.report(false, e), nothingRan.timeline());
        } finally {
            if (models != null) {
                models.close();
            }
        }
        print(input, analysis, options.maxFrames());
        int status = analysis.report().error() == null ? 0 : 1;
        try {
            if (output != null) {
                ResultsJsonl.write(analysis.frames(), output);
            }
            if (timeline != null) {
                TimelineSvg.write(input, analysis.report(), analysis.timeline(), timeline);
            }
        } catch (IOException e) {
            err.println("analyze: cannot write: " + e);
            status = 1;
        }
        if (summaryJson) {
            out.println(SummaryJson.of(analysis));
        }
        if (analysis.report().error() != null) {
            err.println("analyze: " + SummaryJson.describe(analysis.report().error()));
        }
        return status;
    }

    /**
     * A URL opens as {@link ByteSource#open} says (http and https stream with {@code http}); anything else is a local
     * file. A file's reads are recorded as a download's are.
     *
     * @throws InvalidSourceException for a scheme reelflux does not read
     */
    private static ByteSource source(String input, HttpSettings http, PipelineRecorder recorder) {
        ByteSource source;
        if (input.contains("://")) {
            try {
                source = ByteSource.open(new URI(input), http);
            } catch (URISyntaxException e) {
                throw new UsageException("not a valid URL: " + e.getMessage());
            }
        } else {
            source = FileSource.of(Path.of(input));
        }
        return source instanceof FileSource ? new RecordedSource(source, recorder) : source;
    }

    private static VideoDecoder chain(VideoDecoder decoder, DecodeListener listener) {
        return decoder.optListener(decoder.listener().andThen(listener));
    }

    private void print(String input, Analysis analysis, long maxFrames) {
        StreamInfo stream = analysis.stream();
        out.println("analyze " + input);
        if (stream != null) {
            out.printf("  stream         %s %dx%d, %.2f fps, %s frames declared, %s%n", stream.codec(),
                    stream.width(), stream.height(), stream.fps(),
                    stream.frameCount() < 0 ? "no count of" : String.valueOf(stream.frameCount()), stream.container());
        }
        ReportPrinter.print(analysis.report(), out);
        printModels(analysis, maxFrames);
        for (StrideChange change : analysis.strides()) {
            out.printf("  budget plan    %s every %d frames from frame %d (decided at %.0f ms, finish expected at"
                    + " %.0f ms)%n", change.model(), change.stride(), change.fromFrame(), change.atMillis(),
                    change.expectedMillis());
        }
        if (!analysis.strides().isEmpty()) {
            out.printf("  budget         finished at %.0f ms; the planner's last estimate was %.0f ms%n",
                    analysis.report().times().totalMs(), analysis.strides().get(analysis.strides().size() - 1)
                            .expectedMillis());
        }
    }

    /**
     * Per model: the frames it ran on, the frames {@link dev.reelflux.inference.FrameFill} answers between them (as
     * {@code serve} does), and the frames of the clip no inferred frame reaches (before the first, or after the last:
     * a deadline's cut).
     */
    private void printModels(Analysis analysis, long maxFrames) {
        List<String> names = analysis.frames().stream().flatMap(frame -> frame.models().keySet().stream())
                .distinct().toList();
        long clipFrames = ChallengeAnswers.framesToAnswer(analysis, maxFrames);
        for (String name : names) {
            List<FrameResult> inferred = analysis.results(name);
            long first = inferred.get(0).frameIndex();
            long last = inferred.get(inferred.size() - 1).frameIndex();
            long filled = last - first + 1 - inferred.size();
            long unanswered = Math.max(0, clipFrames - (last - first + 1));
            out.printf("  model %-8s %d frames inferred, %d filled%s%n", name, inferred.size(), filled,
                    unanswered == 0 ? "" : ", " + unanswered + " without an answer");
        }
    }
}
