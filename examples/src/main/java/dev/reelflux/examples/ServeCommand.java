package dev.reelflux.examples;

import dev.reelflux.core.AddressPolicy;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.examples.CommandLine.UsageException;
import dev.reelflux.inference.ModelLoadException;
import dev.reelflux.inference.ObjectTracker;
import dev.reelflux.inference.VideoAnalysis;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import reactor.netty.DisposableServer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code serve --port P --model m.pt [--keypoint-model k.pt] [options]}: the soccer-challenge service
 * ({@link ChallengeService}). Loads and warms its models once ({@link Models}), then serves until the process is
 * stopped. Knobs come from the command line, the environment
 * and a {@code --config} file ({@link ServiceConfig}).
 */
final class ServeCommand implements Main.Command {

    private static final Set<String> FLAGS = CommandLine.union(PipelineOptions.FLAGS,
            Set.of("refuse-private", "no-fill", "metrics"));
    private static final Set<String> VALUED = CommandLine.union(PipelineOptions.VALUED,
            Set.of("port", "host", "max-concurrent", "config", "token-file", "max-video-bytes", "request-timeout"));
    /** The largest video a request may pull unless told otherwise. */
    static final long DEFAULT_MAX_VIDEO_BYTES = 1L << 30;

    private final Map<String, String> environment;
    private final PrintStream err;

    ServeCommand() {
        this(System.getenv(), System.err);
    }

    ServeCommand(Map<String, String> environment, PrintStream err) {
        this.environment = environment;
        this.err = err;
    }

    @Override
    public String summary() {
        return "--port P --model m.pt [--keypoint-model k.pt] [options]: the soccer-challenge HTTP service"
                + " (POST /soccer/challenge)";
    }

    @Override
    public int run(String[] args) {
        Running running;
        try {
            running = start(args);
        } catch (UsageException e) {
            err.println("serve: " + e.getMessage());
            err.println("usage: serve --port P --model m.pt [--keypoint-model k.pt] [--host H] [--max-concurrent N]"
                    + " [--refuse-private] [--token-file F] [--max-video-bytes 1GiB] [--request-timeout 10s]"
                    + " [--no-fill] [--metrics]"
                    + " [--config file.properties] [analyze's pipeline and model options]");
            return 2;
        } catch (ModelLoadException e) {
            err.println("serve: " + SummaryJson.describe(e));
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "reelflux-serve-shutdown"));
        err.printf("serve: listening on http://%s:%d%s (model %s)%n", running.server().host(),
                running.server().port(), ChallengeService.PATH, running.models());
        running.server().onDispose().block();
        return 0;
    }

    /**
     * Loads the models, warms them and the pipeline, and binds the service.
     *
     * @throws UsageException for a wrong command line or configuration
     * @throws ModelLoadException when a model does not load, naming it
     */
    Running start(String[] args) {
        CommandLine line = CommandLine.parse(args, FLAGS, VALUED);
        if (!line.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + line.positional().get(0));
        }
        Set<String> known = CommandLine.union(FLAGS, VALUED);
        Map<String, String> resolved = new HashMap<>(ServiceConfig.resolve(line.options(), environment, known));
        // The longest clip a caller may have decoded: two hours at 25 frames a second unless told otherwise.
        resolved.putIfAbsent("max-frames", String.valueOf(ChallengeAnswers.MOST_FRAMES));
        OptionValues values = new OptionValues(resolved);
        PipelineOptions options = PipelineOptions.from(values);
        if (options.model().isEmpty()) {
            throw new UsageException("--model is required");
        }
        int port = values.integer("port", 0).orElse(8080);
        ServiceGuards guards = new ServiceGuards(
                values.text("token-file").map(file -> CallerTokens.read(Path.of(file))).orElse(CallerTokens.OPEN),
                values.integer("max-concurrent", 1).orElse(4),
                values.duration("request-timeout").orElse(ServiceGuards.DEFAULT_REQUEST_TIMEOUT));
        HttpSettings http = options.http(HttpSettings.create())
                .optMaxSize(values.bytes("max-video-bytes").orElse(DEFAULT_MAX_VIDEO_BYTES));
        if (values.flag("refuse-private")) {
            http = http.optAddressPolicy(AddressPolicy.publicOnly());
        }
        PrometheusMeterRegistry metrics = values.flag("metrics") ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
                : null;
        Models models = Models.load(options);
        try {
            // The first request should not pay for loading FFmpeg and compiling the pipeline.
            VideoAnalysis analysis = options.analysis(models);
            Warmup.pipeline(analysis, http);
            // Recording starts after the warm-up: its clip is not one a caller sent.
            if (metrics != null) {
                analysis = analysis.optMetrics(metrics);
                http = http.optMetrics(metrics);
            }
            ChallengeAnswers answers = new ChallengeAnswers(ObjectTracker.create(), models.keypointSource(),
                    models.keypointCount(), !values.flag("no-fill"), options.maxFrames());
            ChallengeService service = new ChallengeService(analysis, answers, http, guards, metrics);
            return new Running(service.start(values.text("host").orElse("0.0.0.0"), port), models, metrics);
        } catch (RuntimeException e) {
            models.close();
            throw e;
        }
    }

    /**
     * A bound service, the models it runs and its metrics registry (null: none); closing stops the service, closes
     * the models and takes the registry out of Micrometer's global one, where the HTTP client's metrics put it.
     */
    record Running(DisposableServer server, Models models, MeterRegistry metrics) implements AutoCloseable {
        @Override
        public void close() {
            server.disposeNow();
            models.close();
            if (metrics != null) {
                Metrics.globalRegistry.remove(metrics);
                metrics.close();
            }
        }
    }
}
