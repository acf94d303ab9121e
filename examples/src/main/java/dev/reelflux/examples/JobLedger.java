package dev.reelflux.examples;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Which offsets of the jobs topic a worker may commit: per partition, the offset after the longest run of finished
 * jobs from the first one started, so that a job finished early waits for the earlier ones of its partition and no
 * job is ever committed before its result is acknowledged. Not thread-safe: the worker's poll thread owns it.
 */
final class JobLedger {

    /** One job started at {@code offset}; each start is its own entry, so a job run again is not the old run. */
    static final class Entry {
        private final TopicPartition partition;
        private final long offset;
        private boolean finished;

        private Entry(TopicPartition partition, long offset) {
            this.partition = partition;
            this.offset = offset;
        }

        TopicPartition partition() {
            return partition;
        }

        long offset() {
            return offset;
        }
    }

    private final Map<TopicPartition, ArrayDeque<Entry>> open = new HashMap<>();
    /** Per partition, the offset every job before which is finished. */
    private final Map<TopicPartition, Long> finishedBefore = new HashMap<>();
    /** Per partition, the offset last handed out to be committed. */
    private final Map<TopicPartition, Long> handedOut = new HashMap<>();

    /**
     * Records that the job at {@code offset} of {@code partition} started.
     *
     * @throws IllegalArgumentException when it is not past every job started before in that partition
     */
    Entry started(TopicPartition partition, long offset) {
        ArrayDeque<Entry> jobs = open.computeIfAbsent(partition, p -> new ArrayDeque<>());
        Long done = finishedBefore.get(partition);
        if (!jobs.isEmpty() && jobs.peekLast().offset >= offset || jobs.isEmpty() && done != null && done > offset) {
            throw new IllegalArgumentException("offset " + offset + " of " + partition + " started out of order");
        }
        Entry entry = new Entry(partition, offset);
        jobs.addLast(entry);
        return entry;
    }

    /** Records that {@code entry}'s job is done; nothing when its partition was forgotten since it started. */
    void finished(Entry entry) {
        ArrayDeque<Entry> jobs = open.get(entry.partition);
        if (jobs == null || jobs.stream().noneMatch(job -> job == entry)) {
            return;
        }
        entry.finished = true;
        while (!jobs.isEmpty() && jobs.peekFirst().finished) {
            finishedBefore.put(entry.partition, jobs.removeFirst().offset + 1);
        }
    }

    /** Jobs started and not finished, in every partition. */
    int unfinished() {
        return open.values().stream().mapToInt(ArrayDeque::size).sum();
    }

    /** The offsets to commit that were not handed out before; they count as handed out from now on. */
    Map<TopicPartition, OffsetAndMetadata> newCommits() {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        finishedBefore.forEach((partition, offset) -> {
            if (!offset.equals(handedOut.get(partition))) {
                commits.put(partition, new OffsetAndMetadata(offset));
                handedOut.put(partition, offset);
            }
        });
        return commits;
    }

    /** The offsets to commit for {@code partitions}, handed out before or not (a commit that must not be lost). */
    Map<TopicPartition, OffsetAndMetadata> commits(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (TopicPartition partition : partitions) {
            Long offset = finishedBefore.get(partition);
            if (offset != null) {
                commits.put(partition, new OffsetAndMetadata(offset));
                handedOut.put(partition, offset);
            }
        }
        return commits;
    }

    /** Marks {@code commits} as not handed out, after their commit failed, so that the next ones carry them. */
    void commitFailed(Map<TopicPartition, OffsetAndMetadata> commits) {
        commits.forEach((partition, offset) -> handedOut.remove(partition, offset.offset()));
    }

    /** Forgets {@code partitions}, which another worker takes over from their last commit. */
    void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            open.remove(partition);
            finishedBefore.remove(partition);
            handedOut.remove(partition);
        }
    }
}
