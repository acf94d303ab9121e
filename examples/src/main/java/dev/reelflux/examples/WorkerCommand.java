package dev.reelflux.examples;

import dev.reelflux.inference.ModelLoadException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import reactor.netty.DisposableServer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/**
 * {@code worker --bootstrap host:port --jobs TOPIC --results TOPIC --group ID --model m.pt [options]}: one member of a
 * fleet that shares a Kafka jobs topic ({@link FleetWorker}). Loads and warms its models once, as {@code serve} does,
 * then takes jobs until the process is stopped; SIGTERM drains ({@code --drain-timeout}). Knobs come from the command
 * line, the environment and a {@code --config} file ({@link ConfigDefaults}); any Kafka client setting from
 * {@code --kafka name=value}.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A fleet worker: runs the jobs of a Kafka topic ({\"job_id\": ..., \"video_url\": ...}) and"
                + " sends each result, keyed by job_id, to the results topic. Every option can also come from the"
                + " environment (REELFLUX_ and the name in capitals, dashes as underscores) or the --config file.")
final class WorkerCommand extends ConfiguredCommand<WorkerCommand.Running> implements Callable<Integer> {

    /** Settings the worker's delivery rests on: {@code --kafka} may not change them. */
    private static final Set<String> FIXED = Set.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
    /** The largest result the producer hands to the broker: the results topic's own limit then decides. */
    private static final int MOST_RESULT_BYTES = 16 << 20;

    @Mixin
    private PipelineOptions options;
    @Mixin
    private ClipOptions clipOptions;
    @Option(names = "--bootstrap", required = true, paramLabel = "host:port[,...]",
            description = "the Kafka brokers to start from")
    private String bootstrap;
    @Option(names = "--jobs", required = true, paramLabel = "TOPIC", description = "the topic the jobs come from")
    private String jobs;
    @Option(names = "--results", required = true, paramLabel = "TOPIC", description = "the topic the results go to")
    private String results;
    @Option(names = "--group", required = true, paramLabel = "ID", description = "the consumer group the fleet shares")
    private String group;
    @Option(names = "--dead-letters", paramLabel = "TOPIC",
            description = "the topic messages that are not jobs go to (default: the jobs topic and .dead-letters)")
    private String deadLetters;
    @Option(names = "--max-in-flight", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "clips run at once (default 2)")
    private int maxInFlight = 2;
    @Option(names = "--drain-timeout", paramLabel = "30s", converter = Converters.DurationConverter.class,
            description = "on SIGTERM, how long running clips may take to finish before they are cancelled"
                    + " (default 30s)")
    private Duration drainTimeout = Duration.ofSeconds(30);
    @Option(names = "--kafka", paramLabel = "name=value",
            description = "a Kafka client setting for the consumer and the producer (security, timeouts...);"
                    + " repeatable")
    private Map<String, String> kafka = new LinkedHashMap<>();
    @Option(names = "--metrics-port", paramLabel = "P", converter = Converters.NonNegativeInt.class,
            description = "GET /metrics (Prometheus) and /health on this port of every address (0: any free one)")
    private Integer metricsPort;

    WorkerCommand() {
        this(System.getenv(), System.err);
    }

    WorkerCommand(Map<String, String> environment, PrintStream err) {
        super(environment, err);
    }

    @Override
    public Integer call() {
        Running running;
        try {
            running = start();
        } catch (ModelLoadException | KafkaException e) {
            err.println("worker: " + SummaryJson.describe(e));
            return 1;
        }
        err.printf("worker: taking jobs from %s as group %s (models %s)%n", jobs, group,
                running.clips().models());
        Thread drain = new Thread(() -> {
            running.worker().stop(drainTimeout);
            running.awaitStopped();
        }, "reelflux-worker-drain");
        Runtime.getRuntime().addShutdownHook(drain);
        boolean failed = running.awaitStopped();
        running.closeResources();
        return failed ? 1 : 0;
    }

    /**
     * Loads the models, warms them and the pipeline, and starts taking jobs.
     *
     * @throws UsageException for a wrong command line or configuration
     * @throws ModelLoadException when a model does not load, naming it
     * @throws KafkaException when the Kafka clients cannot be made of the settings
     */
    @Override
    Running launch() {
        for (String name : kafka.keySet()) {
            if (FIXED.contains(name)) {
                throw new UsageException("--kafka " + name + ": the worker sets it (see --bootstrap and --group)");
            }
        }
        PrometheusMeterRegistry registry = metricsPort == null ? null
                : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Clips clips = clipOptions.load(options, registry);
        DisposableServer metrics = null;
        try {
            metrics = registry == null ? null : MetricsEndpoint.start("0.0.0.0", metricsPort, registry);
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings());
            Producer<byte[], byte[]> producer;
            try {
                producer = new KafkaProducer<>(producerSettings());
            } catch (KafkaException e) {
                consumer.close();
                throw e;
            }
            FleetWorker.Topics topics = new FleetWorker.Topics(jobs, results,
                    deadLetters == null ? jobs + ".dead-letters" : deadLetters);
            FleetWorker worker = new FleetWorker(consumer, producer, topics, new ClipJobs(clips), maxInFlight, err,
                    registry == null ? new CompositeMeterRegistry() : registry);
            return new Running(worker.start(), clips, metrics, registry);
        } catch (RuntimeException e) {
            closeAll(clips, metrics, registry);
            throw e;
        }
    }

    private static void closeAll(Clips clips, DisposableServer metrics, MeterRegistry registry) {
        clips.close();
        if (metrics != null) {
            metrics.disposeNow();
        }
        MetricsEndpoint.close(registry);
    }

    private Map<String, Object> consumerSettings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The worker takes at most this many jobs ahead; more would wait in memory while other workers idle.
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxInFlight);
        // Only the partitions that move are revoked when a worker joins or leaves: the others' clips run on.
        settings.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        settings.putAll(kafka);
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return settings;
    }

    private Map<String, Object> producerSettings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        // A clip's frames are JSON that compresses several times over.
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        // The producer checks sizes before compression; the broker, after: let the results topic's limit decide.
        settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MOST_RESULT_BYTES);
        settings.putAll(kafka);
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return settings;
    }

    /**
     * A worker taking jobs, the clips it runs them with, and its metrics server and registry (null: none); closing
     * stops the worker without a drain, then closes the rest and takes the registry out of Micrometer's global one,
     * where the HTTP client's metrics put it.
     */
    record Running(FleetWorker worker, Clips clips, DisposableServer metrics, MeterRegistry registry)
            implements AutoCloseable {

        /** Waits until the worker stopped; whether a failure stopped it (printed by the worker). */
        boolean awaitStopped() {
            try {
                worker.stopped().get();
                return false;
            } catch (ExecutionException e) {
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }

        @Override
        public void close() {
            worker.stop(Duration.ZERO);
            awaitStopped();
            closeResources();
        }

        /** Closes what the worker ran with: the models, the metrics server, the registry. */
        void closeResources() {
            closeAll(clips, metrics, registry);
        }
    }
}
