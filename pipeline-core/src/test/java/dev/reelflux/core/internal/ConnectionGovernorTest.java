package dev.reelflux.core.internal;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The governor driven by hand: reads are sinks that deliver bytes when told, on a clock that moves when told. */
class ConnectionGovernorTest {

    private static final long MS = 1_000_000;

    private final AtomicLong now = new AtomicLong();
    private final ConnectionGovernor governor = new ConnectionGovernor(8, now::get);
    private List<Sinks.Many<Long>> reads;

    @BeforeEach
    void queueTwelveReads() {
        reads = IntStream.range(0, 12).mapToObj(i -> Sinks.many().unicast().<Long>onBackpressureBuffer()).toList();
        reads.forEach(read -> governor.admit(read.asFlux(), Long::longValue).subscribe());
    }

    @Test
    void theCountDoublesAfterAQuarterSecondWithoutWaitingForASegmentToEnd() {
        assertThat(running()).containsExactly(0, 1, 2, 3);

        fourConnectionsForAQuarterSecond();

        assertThat(governor.allowed()).isEqualTo(8);
        assertThat(running()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void connectionsBeingOpenedDoNotCountAgainstTheNewCount() {
        fourConnectionsForAQuarterSecond();
        // The four new reads take until 1 s to send a byte (a slow handshake) while the first four go on: measured
        // from the doubling, eight connections would look no better than four, and the count would go back.
        for (long t = 300; t < 1_000; t += 50) {
            now.set(t * MS);
            deliver(0, 4);
        }
        for (long t = 1_000; t <= 1_300; t += 50) {
            now.set(t * MS);
            deliver(0, 8);
        }

        assertThat(governor.allowed()).isEqualTo(8);
    }

    @Test
    void aCountThatBringsNoMoreBytesGoesBack() {
        fourConnectionsForAQuarterSecond();
        // Eight connections share what four carried: each brings half.
        for (long t = 300; t <= 600; t += 50) {
            now.set(t * MS);
            IntStream.range(0, 8).forEach(i -> reads.get(i).tryEmitNext(500L));
        }

        assertThat(governor.allowed()).isEqualTo(4);
    }

    /** Four reads deliver 1,000 bytes every 50 ms from 0 to 250 ms: the first epoch, which doubles the count. */
    private void fourConnectionsForAQuarterSecond() {
        for (long t = 0; t <= 250; t += 50) {
            now.set(t * MS);
            deliver(0, 4);
        }
    }

    /** 1,000 bytes on each of reads {@code [from, to)}. */
    private void deliver(int from, int to) {
        IntStream.range(from, to).forEach(i -> reads.get(i).tryEmitNext(1_000L));
    }

    private List<Integer> running() {
        return IntStream.range(0, reads.size()).filter(i -> reads.get(i).currentSubscriberCount() > 0).boxed()
                .toList();
    }
}
