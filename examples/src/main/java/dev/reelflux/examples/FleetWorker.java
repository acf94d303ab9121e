package dev.reelflux.examples;

import com.google.gson.JsonObject;
import dev.reelflux.examples.ChallengeRequest.BadRequestException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * One member of a fleet of workers that share a jobs topic through a Kafka consumer group: it runs each job
 * ({@link JobMessage}) through {@code clips} and sends the result, keyed by its {@code job_id}, to the results
 * topic; a message that is not a job goes to the dead-letter topic with the reason in the {@value #ERROR_HEADER}
 * header (and where it came from in {@value #SOURCE_HEADER}).
 *
 * <p>Delivery is at least once: a job's offset is committed only once its result (or dead letter) is acknowledged
 * by the broker, and in order within its partition ({@link JobLedger}). A result over the topic's size limit is
 * replaced by a result that carries that error. At most {@code maxInFlight} clips run at once; while that many run,
 * the worker pauses its partitions and keeps polling, so a slow clip never costs it its place in the group. When
 * partitions are revoked or lost, the finished jobs of a revoked one are committed and its running clips are
 * cancelled, not committed: the partition's next owner runs them again. A result that cannot be sent for another
 * reason (after the producer's own retries) stops the worker with that failure, its job not committed.
 *
 * <p>The consumer is the Kafka client's, which is not thread-safe: the worker's own thread owns it (and the ledger),
 * and clips report back to that thread through a queue of events. {@link #stop(Duration)} drains: no job is taken
 * any more, the running ones may finish within the drain timeout and are cancelled after it, what finished is
 * committed, and the consumer (leaving the group) and the producer are closed.
 */
final class FleetWorker {

    /** The dead letter's header with the reason its message is not a job. */
    static final String ERROR_HEADER = "reelflux.error";
    /** The dead letter's header with where its message was: {@code topic-partition@offset}. */
    static final String SOURCE_HEADER = "reelflux.source";
    /** The counter of jobs by outcome. */
    static final String JOBS = "reelflux.worker.jobs";
    /** The gauge of clips in flight. */
    static final String IN_FLIGHT = "reelflux.worker.clips.in.flight";
    /** How long a stopping worker waits for the results it handed to the producer to be acknowledged. */
    private static final Duration SEND_GRACE = Duration.ofSeconds(10);
    /** How long a poll waits for records: also how soon finished clips and a stop are acted on. */
    private static final Duration POLL = Duration.ofMillis(100);

    /** The topics a worker reads and writes. */
    record Topics(String jobs, String results, String deadLetters) {
    }

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final Topics topics;
    private final Function<JobMessage, Mono<JsonObject>> clips;
    private final int maxInFlight;
    private final PrintStream log;
    private final MeterRegistry meters;

    private final JobLedger ledger = new JobLedger();
    /** Polled and not started yet, in the order polled. */
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> waiting = new ArrayDeque<>();
    /** Clips running or sending their result; concurrent only because the gauge reads its size off this thread. */
    private final Map<JobLedger.Entry, Disposable> running = new ConcurrentHashMap<>();
    /** What other threads report, run on the worker's thread. */
    private final Queue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean stopping;
    private volatile long drainDeadline;
    private Throwable failure;

    /**
     * A worker that takes over {@code consumer} and {@code producer} (closing them when it stops); the consumer must
     * not commit by itself and should poll at most {@code maxInFlight} records at once. It counts its jobs by outcome
     * ({@value #JOBS}: {@code answered}, {@code failed} with the clip's error, {@code too_large}, {@code dead_letter})
     * and gauges its clips in flight ({@value #IN_FLIGHT}) in {@code meters}.
     */
    FleetWorker(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, Topics topics,
                Function<JobMessage, Mono<JsonObject>> clips, int maxInFlight, PrintStream log, MeterRegistry meters) {
        this.consumer = consumer;
        this.producer = producer;
        this.topics = topics;
        this.clips = clips;
        this.maxInFlight = maxInFlight;
        this.log = log;
        this.meters = meters;
        Gauge.builder(IN_FLIGHT, running, Map::size).description("clips running or sending their result")
                .register(meters);
    }

    /** Joins the group and starts taking jobs, on the worker's own thread. */
    FleetWorker start() {
        new Thread(this::run, "reelflux-worker").start();
        return this;
    }

    /**
     * Stops taking jobs; the running ones may finish within {@code drainTimeout}. Returns at once: see
     * {@link #stopped()}. Later calls change nothing.
     */
    void stop(Duration drainTimeout) {
        if (!stopping) {
            drainDeadline = System.nanoTime() + drainTimeout.toNanos();
            stopping = true;
            log.printf("worker: stopping; running clips may finish within %s%n", drainTimeout);
        }
    }

    /**
     * Completes once the worker has stopped and closed its clients: normally after {@link #stop(Duration)},
     * exceptionally with the failure that stopped it otherwise.
     */
    CompletableFuture<Void> stopped() {
        return stopped;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topics.jobs()), new Rebalance());
            while (!done()) {
                startWaiting();
                pauseWhileFull();
                commit();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    waiting.add(record);
                }
            }
        } catch (RuntimeException e) {
            log.printf("worker: %s%n", SummaryJson.describe(e));
            failure = e;
        }
        close();
        if (failure == null) {
            stopped.complete(null);
        } else {
            stopped.completeExceptionally(failure);
        }
    }

    private boolean done() {
        runEvents();
        if (failure != null) {
            return true;
        }
        if (!stopping) {
            return false;
        }
        waiting.clear();
        return running.isEmpty() || System.nanoTime() - drainDeadline > 0;
    }

    private void runEvents() {
        for (Runnable event = events.poll(); event != null; event = events.poll()) {
            event.run();
        }
    }

    private void startWaiting() {
        while (!stopping && running.size() < maxInFlight && !waiting.isEmpty()) {
            start(waiting.removeFirst());
        }
    }

    private void start(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        JobLedger.Entry entry = ledger.started(partition, record.offset());
        JobMessage job;
        try {
            job = JobMessage.parse(record.value());
        } catch (BadRequestException e) {
            deadLetter(record, entry, e.getMessage());
            return;
        }
        log.printf("worker: job %s started (%s@%d)%n", job.jobId(), partition, record.offset());
        // Deferred: a job the pipeline refuses at once fails that job, not the worker's thread.
        running.put(entry, Mono.defer(() -> clips.apply(job))
                .onErrorResume(e -> Mono.just(ClipJobs.failure(job, e.getClass().getSimpleName(),
                        String.valueOf(e.getMessage()))))
                .flatMap(result -> sendResult(job, result))
                .subscribe(result -> events.add(() -> finished(entry, job, result)),
                        error -> events.add(() -> failed(entry, job, error))));
    }

    /** Sends {@code result}, or its error when it is over the topic's limit; emits what was sent once acknowledged. */
    private Mono<JsonObject> sendResult(JobMessage job, JsonObject result) {
        byte[] value = ClipJobs.bytes(result);
        return send(job, result, value).onErrorResume(RecordTooLargeException.class, e -> {
            JsonObject failure = ClipJobs.failure(job, "ResultTooLarge", "the result (" + value.length
                    + " bytes of JSON) is over the results topic's size limit: " + e.getMessage());
            return send(job, failure, ClipJobs.bytes(failure));
        });
    }

    private Mono<JsonObject> send(JobMessage job, JsonObject result, byte[] value) {
        byte[] key = job.jobId().getBytes(StandardCharsets.UTF_8);
        return KafkaSends.send(producer, new ProducerRecord<>(topics.results(), key, value)).thenReturn(result);
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, JobLedger.Entry entry, String reason) {
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topics.deadLetters(), null, record.key(),
                record.value(), record.headers());
        Headers headers = letter.headers();
        headers.add(ERROR_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_HEADER, (entry.partition() + "@" + entry.offset()).getBytes(StandardCharsets.UTF_8));
        log.printf("worker: %s@%d is not a job (%s): to %s%n", entry.partition(), entry.offset(), reason,
                topics.deadLetters());
        KafkaSends.send(producer, letter).subscribe(sent -> events.add(() -> {
            ledger.finished(entry);
            count("dead_letter");
        }), error -> events.add(() -> failed(entry, null, error)));
    }

    private void finished(JobLedger.Entry entry, JobMessage job, JsonObject result) {
        running.remove(entry);
        ledger.finished(entry);
        String error = ClipJobs.error(result);
        count(error == null ? "answered" : error.startsWith("ResultTooLarge:") ? "too_large" : "failed");
        log.printf("worker: job %s done: %d frames%s%n", job.jobId(), ClipJobs.frames(result),
                error == null ? "" : ", " + error);
    }

    private void failed(JobLedger.Entry entry, JobMessage job, Throwable error) {
        running.remove(entry);
        log.printf("worker: %s could not be sent, so the worker stops and it is not committed: %s%n",
                job == null ? "the dead letter of " + entry.partition() + "@" + entry.offset() : "job " + job.jobId(),
                SummaryJson.describe(error));
        if (failure == null) {
            failure = error;
        }
    }

    private void count(String outcome) {
        meters.counter(JOBS, "outcome", outcome).increment();
    }

    private void pauseWhileFull() {
        Set<TopicPartition> assigned = consumer.assignment();
        if (stopping || running.size() + waiting.size() >= maxInFlight) {
            if (consumer.paused().size() < assigned.size()) {
                consumer.pause(assigned);
            }
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> commits = ledger.newCommits();
        if (!commits.isEmpty()) {
            // The callback runs on this thread, inside a later poll or commit.
            consumer.commitAsync(commits, (offsets, error) -> {
                if (error != null) {
                    ledger.commitFailed(commits);
                }
            });
        }
    }

    /** Commits the finished jobs of {@code partitions} now; a failure is logged, as their jobs are run again. */
    private void commitNow(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> commits = ledger.commits(partitions);
        if (commits.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(commits);
        } catch (KafkaException e) {
            log.printf("worker: commit of %s failed, so its jobs will run again: %s%n", commits.keySet(),
                    SummaryJson.describe(e));
        }
    }

    /** Cancels the clips of {@code partitions} and forgets their jobs, which their next owner runs again. */
    private void release(Collection<TopicPartition> partitions, String why) {
        int cancelled = 0;
        for (var iterator = running.entrySet().iterator(); iterator.hasNext(); ) {
            var job = iterator.next();
            if (partitions.contains(job.getKey().partition())) {
                job.getValue().dispose();
                iterator.remove();
                cancelled++;
            }
        }
        waiting.removeIf(record -> partitions.contains(new TopicPartition(record.topic(), record.partition())));
        ledger.forget(partitions);
        log.printf("worker: %s %s; %d clips cancelled%n", why, partitions, cancelled);
    }

    private void close() {
        running.values().forEach(Disposable::dispose);
        running.clear();
        waiting.clear();
        try {
            // Results handed to the producer before the stop count once acknowledged; a broker that does not answer
            // gets a bounded wait, not the producer's delivery timeout, and those jobs are run again elsewhere.
            producer.close(SEND_GRACE);
            runEvents();
            Set<TopicPartition> assigned = consumer.assignment();
            commitNow(assigned);
            // Committed: closing the consumer revokes these partitions, and that need not commit them again.
            ledger.forget(assigned);
        } catch (RuntimeException e) {
            log.printf("worker: closing: %s%n", SummaryJson.describe(e));
        } finally {
            consumer.close();
            producer.close(Duration.ZERO);
            log.println("worker: stopped");
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            runEvents();
            commitNow(partitions);
            release(partitions, "revoked");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                release(partitions, "lost");
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                log.printf("worker: assigned %s%n", partitions);
            }
        }
    }
}
