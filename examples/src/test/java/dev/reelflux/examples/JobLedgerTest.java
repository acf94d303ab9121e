package dev.reelflux.examples;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobLedgerTest {

    private static final TopicPartition P0 = new TopicPartition("jobs", 0);
    private static final TopicPartition P1 = new TopicPartition("jobs", 1);

    private final JobLedger ledger = new JobLedger();

    @Test
    void aJobFinishedEarlyWaitsForTheEarlierOnesOfItsPartition() {
        JobLedger.Entry first = ledger.started(P0, 10);
        JobLedger.Entry second = ledger.started(P0, 11);
        JobLedger.Entry third = ledger.started(P0, 12);

        ledger.finished(third);
        ledger.finished(second);
        assertThat(ledger.newCommits()).isEmpty();
        assertThat(ledger.unfinished()).isEqualTo(3);

        ledger.finished(first);
        assertThat(ledger.newCommits()).isEqualTo(Map.of(P0, new OffsetAndMetadata(13)));
        assertThat(ledger.newCommits()).as("handed out once").isEmpty();
        assertThat(ledger.unfinished()).isZero();
    }

    @Test
    void partitionsCommitIndependently() {
        JobLedger.Entry slow = ledger.started(P0, 0);
        JobLedger.Entry fast = ledger.started(P1, 5);

        ledger.finished(fast);

        assertThat(ledger.newCommits()).isEqualTo(Map.of(P1, new OffsetAndMetadata(6)));
        ledger.finished(slow);
        assertThat(ledger.newCommits()).isEqualTo(Map.of(P0, new OffsetAndMetadata(1)));
    }

    @Test
    void aFailedCommitIsHandedOutAgainAndAForcedOneAlways() {
        ledger.finished(ledger.started(P0, 3));
        Map<TopicPartition, OffsetAndMetadata> commits = ledger.newCommits();

        ledger.commitFailed(commits);

        assertThat(ledger.newCommits()).isEqualTo(commits);
        assertThat(ledger.commits(List.of(P0, P1))).as("forced, and P1 has nothing").isEqualTo(commits);
    }

    @Test
    void aForgottenPartitionIgnoresItsOldJobsAndStartsAfresh() {
        JobLedger.Entry old = ledger.started(P0, 7);
        ledger.forget(List.of(P0));

        ledger.finished(old);
        assertThat(ledger.newCommits()).isEmpty();
        assertThat(ledger.unfinished()).isZero();

        JobLedger.Entry again = ledger.started(P0, 7);
        ledger.finished(old);
        assertThat(ledger.newCommits()).as("the old run is not the new one").isEmpty();
        ledger.finished(again);
        assertThat(ledger.newCommits()).isEqualTo(Map.of(P0, new OffsetAndMetadata(8)));
    }

    @Test
    void offsetsMustGrowWithinAPartition() {
        ledger.started(P0, 4);
        assertThatThrownBy(() -> ledger.started(P0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.started(P0, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
