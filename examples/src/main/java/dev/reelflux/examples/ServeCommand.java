package dev.reelflux.examples;

import dev.reelflux.inference.ModelLoadException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import reactor.netty.DisposableServer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code serve --model m.pt [--keypoint-model k.pt] [options]}: the soccer-challenge service ({@link ChallengeService}).
 * Loads and warms its models once ({@link Models}), then serves until the process is stopped. Knobs come from the
 * command line, the environment and a {@code --config} file ({@link ConfigDefaults}).
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "The soccer-challenge HTTP service: POST /soccer/challenge, GET /health (and /metrics)."
                + " Every option can also come from the environment (REELFLUX_ and the name in capitals, dashes as"
                + " underscores) or the --config file (name=value).")
final class ServeCommand extends ConfiguredCommand<ServeCommand.Running> implements Callable<Integer> {

    @Mixin
    private PipelineOptions options;
    @Mixin
    private ClipOptions clipOptions;
    @Option(names = "--port", paramLabel = "P", converter = Converters.NonNegativeInt.class,
            description = "the port (default 8080; 0: any free one)")
    private int port = 8080;
    @Option(names = "--host", paramLabel = "H", description = "the address to bind (default 0.0.0.0)")
    private String host = "0.0.0.0";
    @Option(names = "--max-concurrent", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "clips run at once; the rest get 503 (default 4)")
    private int maxConcurrent = 4;
    @Option(names = "--token-file", paramLabel = "F",
            description = "bearer tokens callers must present, one per line")
    private Path tokenFile;
    @Option(names = "--request-timeout", paramLabel = "10s", converter = Converters.DurationConverter.class,
            description = "the longest a request body may take to arrive (default 10s)")
    private Duration requestTimeout = ServiceGuards.DEFAULT_REQUEST_TIMEOUT;
    @Option(names = "--metrics", description = "GET /metrics in Prometheus' format")
    private boolean metrics;

    ServeCommand() {
        this(System.getenv(), System.err);
    }

    ServeCommand(Map<String, String> environment, PrintStream err) {
        super(environment, err);
    }

    @Override
    public Integer call() {
        Running running;
        try {
            running = start();
        } catch (ModelLoadException e) {
            err.println("serve: " + SummaryJson.describe(e));
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "reelflux-serve-shutdown"));
        err.printf("serve: listening on http://%s:%d%s (model %s)%n", running.server().host(),
                running.server().port(), ChallengeService.PATH, running.clips().models());
        running.server().onDispose().block();
        return 0;
    }

    /**
     * Loads the models, warms them and the pipeline, and binds the service.
     *
     * @throws UsageException for a wrong command line or configuration
     * @throws ModelLoadException when a model does not load, naming it
     */
    @Override
    Running launch() {
        ServiceGuards guards = new ServiceGuards(
                tokenFile == null ? CallerTokens.OPEN : CallerTokens.read(tokenFile), maxConcurrent, requestTimeout);
        PrometheusMeterRegistry registry = metrics ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
        Clips clips = clipOptions.load(options, registry);
        try {
            ChallengeService service = new ChallengeService(clips, guards, registry);
            return new Running(service.start(host, port), clips, registry);
        } catch (RuntimeException e) {
            clips.close();
            throw e;
        }
    }

    /**
     * A bound service, the clips it runs and its metrics registry (null: none); closing stops the service, closes
     * the models and takes the registry out of Micrometer's global one, where the HTTP client's metrics put it.
     */
    record Running(DisposableServer server, Clips clips, MeterRegistry metrics) implements AutoCloseable {
        @Override
        public void close() {
            server.disposeNow();
            clips.close();
            MetricsEndpoint.close(metrics);
        }
    }
}
