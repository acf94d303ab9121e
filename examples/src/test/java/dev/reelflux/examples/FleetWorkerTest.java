package dev.reelflux.examples;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.reelflux.core.testing.Fault;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.inference.testing.TestModels;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fleet worker against a real Kafka broker ({@link KafkaBroker}): in-process workers as {@code worker} starts
 * them, and one in a child JVM where a test kills a worker abruptly. Clips are generated and served by the test
 * server; the slow server holds every response back, so that clips are in flight when something happens.
 */
@ExtendWith(NativeLeakGate.class)
class FleetWorkerTest {

    private static final int FRAMES = 20;
    private static final int PARTITIONS = 6;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern STARTED = Pattern.compile("worker: job (\\S+) started");
    private static final Pattern DONE = Pattern.compile("worker: job (\\S+) done");

    @TempDir
    static Path dir;
    private static KafkaBroker broker;
    private static TestHttpServer cdn;
    private static TestHttpServer slowCdn;
    private static Path model;
    private static String clipUrl;
    private static String slowClipUrl;

    private final List<WorkerCommand.Running> workers = new ArrayList<>();
    private String jobs;
    private String results;
    private String group;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        Path brokerDir = Files.createDirectories(dir.resolve("broker"));
        broker = KafkaBroker.start(brokerDir);
        model = TestModels.writeBallPose(dir.resolve("pose.pt"));
        byte[] clip = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false).optSize(320, 240)
                .optFrames(FRAMES).optGop(10).toBytes();
        cdn = TestHttpServer.start();
        clipUrl = cdn.serve("/clip.mp4", clip).toString();
        slowCdn = TestHttpServer.start();
        // About four seconds a clip.
        slowCdn.shape(clip.length / 3, Duration.ofSeconds(1));
        slowClipUrl = slowCdn.serve("/clip.mp4", clip).toString();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
        if (cdn != null) {
            cdn.close();
            slowCdn.close();
        }
    }

    @BeforeEach
    void topics(TestInfo test) {
        String name = test.getTestMethod().orElseThrow().getName();
        jobs = name + ".jobs";
        results = name + ".results";
        group = name + ".workers";
        broker.createTopic(jobs, PARTITIONS, Map.of());
        broker.createTopic(results, 1, Map.of());
        broker.createTopic(jobs + ".dead-letters", 1, Map.of());
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(WorkerCommand.Running::close);
    }

    @Test
    void threeWorkersShareSixPartitionsAndAnswerEveryJobOnce() {
        List<LineLog> logs = List.of(new LineLog(), new LineLog(), new LineLog());
        logs.forEach(log -> worker(log));
        awaitMembers(3);

        produce(IntStream.range(0, 30).mapToObj(i -> job("j-" + i, clipUrl)).toList());

        Map<String, List<JsonObject>> answered = results(30);
        assertThat(answered).hasSize(30);
        answered.forEach((id, copies) -> {
            assertThat(copies).as("results of %s", id).hasSize(1);
            JsonObject result = copies.get(0);
            assertThat(result.has("error")).as(result.toString()).isFalse();
            assertThat(result.getAsJsonArray("frames")).hasSize(FRAMES);
            assertThat(result.getAsJsonObject("report").get("frames").getAsInt()).isEqualTo(FRAMES);
            assertThat(result.get("video_url").getAsString()).isEqualTo(clipUrl);
        });
        for (LineLog log : logs) {
            assertThat(log.lines(line -> STARTED.matcher(line).find())).as("every worker took jobs:%n%s", log)
                    .isNotEmpty();
        }
        awaitAllCommitted();
    }

    @Test
    void aWorkerKilledMidRunLosesNoJobAndOnlyItsJobsInFlightRunTwice() throws Exception {
        LineLog first = new LineLog();
        LineLog second = new LineLog();
        worker(first);
        worker(second);
        Path childLog = dir.resolve(group + ".log");
        Process child = childWorker(childLog);
        try {
            awaitMembers(3);
            produce(IntStream.range(0, 30).mapToObj(i -> job("k-" + i, slowClipUrl)).toList());
            Waits.until(() -> matches(read(childLog), STARTED).size() >= 2, WAIT, "the child worker started 2 jobs");
        } finally {
            child.destroyForcibly();
        }
        long killed = System.nanoTime();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Set<String> startedByKilled = matches(read(childLog), STARTED);
        Set<String> doneByKilled = matches(read(childLog), DONE);

        Map<String, List<JsonObject>> answered = results(30);
        assertThat(answered).hasSize(30);
        Set<String> twice = answered.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(startedByKilled).as("jobs that may run twice").containsAll(twice);
        answered.values().forEach(copies -> assertThat(copies.get(0).has("error")).isFalse());
        awaitAllCommitted();

        Set<String> redone = new HashSet<>(startedByKilled);
        redone.removeAll(doneByKilled);
        double seconds = IntStream.range(0, 2).mapToObj(i -> i == 0 ? first : second)
                .flatMap(log -> log.lines(line -> {
                    Matcher started = STARTED.matcher(line);
                    return started.find() && redone.contains(started.group(1));
                }).stream())
                .mapToLong(LineLog.Line::nanos).min().orElseThrow() - killed;
        System.out.printf("fleet: the killed worker's jobs in flight ran elsewhere %.1f s after the kill"
                + " (session.timeout.ms=6000)%n", seconds / 1e9);
    }

    @Test
    void malformedJobsGoToTheDeadLetterTopicWithTheReasonAndAreCommitted() {
        WorkerCommand.Running worker = worker(new LineLog(), "--metrics-port", "0");
        List<byte[]> messages = List.of(utf8("not json"), utf8("{}"), utf8("[1]"),
                utf8("{\"job_id\": \"x\", \"video_url\": \"ftp://example.com/a.mp4\"}"),
                utf8("{\"job_id\": \"y\", \"video_url\": \"" + clipUrl + "\", \"budget_seconds\": -1}"),
                new byte[] {(byte) 0xff, (byte) 0xfe, '{'}, new byte[0], job("good", clipUrl));
        produce(messages);

        Map<String, List<JsonObject>> answered = results(1);
        assertThat(answered).containsOnlyKeys("good");
        List<ConsumerRecord<byte[], byte[]>> letters = read(jobs + ".dead-letters", messages.size() - 1);
        assertThat(letters).extracting(letter -> header(letter, FleetWorker.ERROR_HEADER)).containsExactlyInAnyOrder(
                "body is not valid JSON", "missing field job_id", "body must be a JSON object",
                "video_url must be an http or https URL", "budget_seconds must be above 0 and at most 86400.0",
                "message is not UTF-8", "empty message");
        assertThat(letters).allSatisfy(letter -> assertThat(header(letter, FleetWorker.SOURCE_HEADER))
                .startsWith(jobs + "-"));
        assertThat(letters).extracting(letter -> new String(letter.value(), StandardCharsets.UTF_8))
                .contains("not json", "[1]");
        awaitAllCommitted();
        assertThat(scrape(worker, "/metrics")).contains("reelflux_worker_jobs_total{outcome=\"dead_letter\"} 7.0",
                "reelflux_worker_jobs_total{outcome=\"answered\"} 1.0", "reelflux_worker_clips_in_flight 0.0",
                "reelflux_clips_total{error=\"none\",outcome=\"completed\"} 1.0");
        assertThat(scrape(worker, "/health")).contains("ok");
    }

    @Test
    void aClipThatFailsGetsAResultWithItsTypedError() {
        cdn.fault("/missing.mp4", Fault.status(404));
        String garbage = cdn.serve("/garbage.mp4", utf8("this is not a video ".repeat(500))).toString();
        WorkerCommand.Running worker = worker(new LineLog(), "--metrics-port", "0");

        produce(List.of(job("missing", cdn.uri("/missing.mp4").toString()), job("garbage", garbage)));

        Map<String, List<JsonObject>> answered = results(2);
        assertThat(error(answered.get("missing").get(0)).get("type").getAsString())
                .isEqualTo("HttpStatusException");
        assertThat(error(answered.get("missing").get(0)).get("message").getAsString()).contains("404");
        assertThat(error(answered.get("garbage").get(0)).get("type").getAsString())
                .isEqualTo("InvalidMediaException");
        assertThat(answered.get("garbage").get(0).getAsJsonArray("frames")).isEmpty();
        awaitAllCommitted();
        assertThat(scrape(worker, "/metrics")).contains("reelflux_worker_jobs_total{outcome=\"failed\"} 2.0");
    }

    @Test
    void aResultOverTheTopicLimitIsReplacedByItsErrorAndTheWorkerGoesOn() {
        String small = results + ".small";
        broker.createTopic(small, 1, Map.of("max.message.bytes", "1024"));
        results = small;
        LineLog log = new LineLog();
        worker(log);

        produce(List.of(job("big", clipUrl), job("next", clipUrl)));

        Map<String, List<JsonObject>> answered = results(2);
        for (String id : List.of("big", "next")) {
            JsonObject error = error(answered.get(id).get(0));
            assertThat(error.get("type").getAsString()).isEqualTo("ResultTooLarge");
            assertThat(error.get("message").getAsString()).contains("over the results topic's size limit");
        }
        awaitAllCommitted();
    }

    @Test
    void sigtermDrainsTheRunningClipsCommitsThemAndLeavesTheRestToTheGroup() throws Exception {
        Path childLog = dir.resolve(group + ".log");
        Process child = childWorker(childLog);
        try {
            awaitMembers(1);
            produce(IntStream.range(0, 6).mapToObj(i -> job("d-" + i, slowClipUrl)).toList(), 0);
            Waits.until(() -> matches(read(childLog), STARTED).size() >= 2, WAIT, "two jobs started");

            child.destroy();
            assertThat(child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("drained and exited").isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as("the status of a JVM stopped by SIGTERM").isEqualTo(143);
        String log = read(childLog);
        assertThat(log).contains("worker: stopping", "worker: stopped");
        Set<String> started = matches(log, STARTED);
        assertThat(started).hasSize(2);
        assertThat(matches(log, DONE)).as("finished within the drain timeout").isEqualTo(started);
        assertThat(results(2)).containsOnlyKeys(started);
        assertThat(committed().get(new TopicPartition(jobs, 0))).as("committed offset of partition 0")
                .isEqualTo(2L);

        worker(new LineLog());
        Map<String, List<JsonObject>> answered = results(6);
        assertThat(answered).hasSize(6).allSatisfy((id, copies) -> assertThat(copies).hasSize(1));
        awaitAllCommitted();
    }

    @Test
    void theSendBridgeEmitsTheAcknowledgementOrTheProducersError() {
        String small = results + ".tiny";
        broker.createTopic(small, 1, Map.of("max.message.bytes", "1024"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1 << 20,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            Mono<RecordMetadata> send = KafkaSends.send(producer, new ProducerRecord<>(small, utf8("fits")));
            assertThat(read(small, 0)).as("cold: nothing is sent before subscription").isEmpty();

            StepVerifier.create(send).assertNext(metadata -> assertThat(metadata.offset()).isZero())
                    .verifyComplete();
            StepVerifier.create(KafkaSends.send(producer, new ProducerRecord<>(small, new byte[100_000])))
                    .expectError(RecordTooLargeException.class).verify(WAIT);
            StepVerifier.create(KafkaSends.send(producer, new ProducerRecord<>(small, new byte[2 << 20])))
                    .as("over the producer's own limit").expectError(RecordTooLargeException.class).verify(WAIT);
        }
        assertThat(read(small, 1)).hasSize(1);
    }

    @Test
    void aWrongCommandLineSaysWhatIsMissingAndHelpListsTheOptions() {
        List<String> args = workerArgs();
        int bootstrap = args.indexOf("--bootstrap");
        args.subList(bootstrap, bootstrap + 2).clear();
        assertThatThrownBy(() -> new WorkerCommand(Map.of(), LineLog.stream(new LineLog()))
                .start(args.toArray(String[]::new))).isInstanceOf(CommandLine.MissingParameterException.class)
                .hasMessageStartingWith("Missing required option: '--bootstrap=host:port[,...]'");
        args.addAll(List.of("--bootstrap", broker.bootstrap(), "--kafka", "enable.auto.commit=true"));
        assertThatThrownBy(() -> new WorkerCommand(Map.of(), LineLog.stream(new LineLog()))
                .start(args.toArray(String[]::new))).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("--kafka enable.auto.commit: the worker sets it");

        LineLog out = new LineLog();
        assertThat(Main.commandLine(new WorkerCommand(), LineLog.stream(out), LineLog.stream(new LineLog()),
                Map.of(), new String[] {"--help"}).execute("--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: worker").contains("--bootstrap=host:port", "--jobs=TOPIC",
                "--results=TOPIC", "--group=ID", "--dead-letters=TOPIC", "--max-in-flight=N", "--drain-timeout=30s",
                "--kafka=name=value", "--metrics-port=P", "--model=m.pt", "--max-video-bytes=1GiB");
    }

    @Test
    void revokedPartitionsHaveTheirClipsCancelledAndRunByTheirNewOwner() {
        LineLog log = new LineLog();
        worker(log, "--max-in-flight", "6");
        awaitMembers(1);
        produce(IntStream.range(0, 6).mapToObj(i -> job("r-" + i, slowClipUrl)).toList());
        Waits.until(() -> matches(log.toString(), STARTED).size() == 6, WAIT, "six jobs started");

        worker(new LineLog());

        Map<String, List<JsonObject>> answered = results(6);
        assertThat(answered).hasSize(6);
        assertThat(log.lines(line -> line.matches("worker: revoked .*; [1-9] clips cancelled"))).as(log.toString())
                .hasSize(1);
        awaitAllCommitted();
    }

    private WorkerCommand.Running worker(LineLog log, String... extra) {
        List<String> args = workerArgs();
        args.addAll(List.of(extra));
        WorkerCommand.Running worker = new WorkerCommand(Map.of(), LineLog.stream(log))
                .start(args.toArray(String[]::new));
        workers.add(worker);
        return worker;
    }

    private List<String> workerArgs() {
        return new ArrayList<>(List.of("--bootstrap", broker.bootstrap(), "--jobs", jobs,
                "--results", results, "--group", group, "--model", model.toString(),
                "--keypoints", String.valueOf(TestModels.POSE_KEYPOINTS), "--size", "320x320", "--batch", "8",
                "--threads", "1", "--kafka", "session.timeout.ms=6000", "--kafka", "heartbeat.interval.ms=1000"));
    }

    /** A worker in a child JVM, as {@code java -jar reelflux-examples.jar worker} runs, printing to {@code log}. */
    private Process childWorker(Path log) throws IOException {
        List<String> args = workerArgs();
        args.add(0, "worker");
        return ChildJvm.start(dir, log, childOptions(), Main.class.getName(), args.toArray(String[]::new));
    }

    /** What the child JVM needs to find the natives and caches the tests use, and not download anything. */
    private static List<String> childOptions() {
        List<String> options = new ArrayList<>();
        for (String property : List.of("ai.djl.offline", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR",
                "org.bytedeco.javacpp.cachedir")) {
            String value = System.getProperty(property);
            if (value != null) {
                options.add("-D" + property + "=" + value);
            }
        }
        return options;
    }

    private static byte[] job(String id, String url) {
        return utf8("{\"job_id\": \"" + id + "\", \"video_url\": \"" + url + "\"}");
    }

    private void produce(List<byte[]> messages) {
        produce(messages, -1);
    }

    /** Sends {@code messages} to the jobs topic, round robin over its partitions, or all to {@code partition}. */
    private void produce(List<byte[]> messages, int partition) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (int i = 0; i < messages.size(); i++) {
                producer.send(new ProducerRecord<>(jobs, partition < 0 ? i % PARTITIONS : partition, null,
                        messages.get(i))).get();
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /** The results topic's results by job id once {@code jobs} jobs have one, and what came a second later. */
    private Map<String, List<JsonObject>> results(int jobs) {
        Map<String, List<JsonObject>> byId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : read(results, jobs, byId)) {
            JsonObject result = JsonParser.parseString(new String(record.value(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            assertThat(result.get("job_id").getAsString()).isEqualTo(new String(record.key(), StandardCharsets.UTF_8));
        }
        return byId;
    }

    private List<ConsumerRecord<byte[], byte[]>> read(String topic, int count) {
        return read(topic, count, new HashMap<>());
    }

    /**
     * Reads {@code topic} from its start until {@code distinct} keys (or records, when keys are null) were seen,
     * and a second more; fills {@code byKey} with the records' JSON values by key.
     */
    private List<ConsumerRecord<byte[], byte[]>> read(String topic, int distinct, Map<String, List<JsonObject>> byKey) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    records.add(record);
                    String key = record.key() == null ? String.valueOf(records.size())
                            : new String(record.key(), StandardCharsets.UTF_8);
                    keys.add(key);
                    if (record.key() != null) {
                        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(JsonParser.parseString(
                                new String(record.value(), StandardCharsets.UTF_8)).getAsJsonObject());
                    }
                }
                if (keys.size() >= distinct && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
            }
        }
        assertThat(keys).as("keys read from %s", topic).hasSizeGreaterThanOrEqualTo(distinct);
        return records;
    }

    private void awaitMembers(int members) {
        Waits.until(() -> {
            ConsumerGroupDescription description = describeGroup();
            return description != null && description.groupState() == GroupState.STABLE
                    && description.members().size() == members
                    && description.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum()
                    == PARTITIONS;
        }, WAIT, members + " workers in a stable group");
    }

    /** The group as the broker describes it; null before its first member joined. */
    private ConsumerGroupDescription describeGroup() {
        try {
            return broker.admin().describeConsumerGroups(List.of(group)).all().get().get(group);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return null;
            }
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private Map<TopicPartition, Long> committed() {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = broker.admin().listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> committed = new HashMap<>();
            offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
            return committed;
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until the group has committed every job of the jobs topic. */
    private void awaitAllCommitted() {
        Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, PARTITIONS).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(jobs, p), p -> OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        try {
            broker.admin().listOffsets(latest).all().get().forEach((p, info) -> {
                if (info.offset() > 0) {
                    ends.put(p, info.offset());
                }
            });
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
        Waits.until(() -> committed().entrySet().containsAll(ends.entrySet()), WAIT,
                "every job committed: " + ends);
    }

    private static Set<String> matches(String log, Pattern pattern) {
        Set<String> ids = new HashSet<>();
        Matcher matcher = pattern.matcher(log);
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String scrape(WorkerCommand.Running worker, String path) {
        return HttpClient.create().get().uri("http://127.0.0.1:" + worker.metrics().port() + path)
                .responseSingle((response, body) -> body.asString()).block(WAIT);
    }

    private static JsonObject error(JsonObject result) {
        assertThat(result.has("error")).as(result.toString()).isTrue();
        return result.getAsJsonObject("error");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
