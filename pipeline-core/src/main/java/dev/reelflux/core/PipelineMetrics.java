package dev.reelflux.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Objects;

/**
 * Reelflux's figures in a Micrometer {@link MeterRegistry} the user gives: one {@link #record} per clip, from its
 * {@link PipelineReport}, so what a service already scrapes shows its clips next to everything else. Thread-safe;
 * meters are created in the registry on first use. The meters, all named {@code reelflux.*}:
 *
 * <ul>
 *   <li>{@code reelflux.clips} (counter), tagged {@code outcome} ({@code completed}, {@code budget_hit},
 *       {@code failed}) and {@code error} (the typed error's class, such as {@code HttpStatusException}, or
 *       {@code none});</li>
 *   <li>{@code reelflux.frames} (counter), tagged {@code stage}: {@code decoded}, {@code emitted} (by the decoder),
 *       {@code inferred} (through a model), {@code answered} (results handed on);</li>
 *   <li>{@code reelflux.bytes.fetched} (counter, bytes); {@code reelflux.http.requests} (counter, tagged
 *       {@code ranged}); {@code reelflux.http.retries}; {@code reelflux.http.connections.opened};
 *       {@code reelflux.batches} (model calls);</li>
 *   <li>{@code reelflux.clip.latency} (timer), tagged {@code to}: {@code connect}, {@code first_byte},
 *       {@code first_frame}, {@code first_result}, {@code last_result}, {@code total}, from the request; an event that
 *       did not happen is not recorded;</li>
 *   <li>{@code reelflux.inference.time} (timer): the model time of a clip, its calls added up.</li>
 * </ul>
 */
public final class PipelineMetrics {

    private final MeterRegistry registry;

    private PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records into {@code registry}. */
    public static PipelineMetrics of(MeterRegistry registry) {
        return new PipelineMetrics(Objects.requireNonNull(registry, "registry"));
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Records one clip's figures. */
    public void record(PipelineReport report) {
        Throwable error = report.error();
        String outcome = error != null ? "failed" : report.budgetHit() ? "budget_hit" : "completed";
        registry.counter("reelflux.clips", "outcome", outcome,
                "error", error == null ? "none" : error.getClass().getSimpleName()).increment();
        PipelineReport.Work work = report.work();
        PipelineReport.Transfer transfer = report.transfer();
        PipelineReport.Times times = report.times();
        frames("decoded", work.framesDecoded());
        frames("emitted", work.framesEmitted());
        frames("inferred", work.framesInferred());
        frames("answered", work.resultsEmitted());
        Counter.builder("reelflux.bytes.fetched").baseUnit("bytes").register(registry)
                .increment(transfer.bytesFetched());
        registry.counter("reelflux.http.requests", "ranged", "false")
                .increment(transfer.requests() - transfer.rangeRequests());
        registry.counter("reelflux.http.requests", "ranged", "true").increment(transfer.rangeRequests());
        registry.counter("reelflux.http.retries").increment(transfer.retries());
        registry.counter("reelflux.http.connections.opened").increment(transfer.connectionsOpened());
        registry.counter("reelflux.batches").increment(work.batches());
        latency("connect", times.connectMs());
        latency("first_byte", times.firstByteMs());
        latency("first_frame", times.firstFrameMs());
        latency("first_result", times.firstResultMs());
        latency("last_result", times.lastResultMs());
        latency("total", times.totalMs());
        if (work.batches() > 0) {
            registry.timer("reelflux.inference.time").record(millis(work.inferenceMs()));
        }
    }

    private void frames(String stage, long count) {
        registry.counter("reelflux.frames", "stage", stage).increment(count);
    }

    private void latency(String to, double ms) {
        if (ms >= 0) {
            Timer.builder("reelflux.clip.latency").tag("to", to).register(registry).record(millis(ms));
        }
    }

    private static Duration millis(double ms) {
        return Duration.ofNanos(Math.round(ms * 1e6));
    }
}
