package dev.reelflux.decoders.internal;

import dev.reelflux.core.ByteSpan;
import dev.reelflux.core.testing.MemorySource;
import org.junit.jupiter.api.Test;
import reactor.util.context.Context;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link ChunkStream} following a {@link ReadPlan}, driven as {@link AvioBridge} drives it (forward moves noted and
 * made at the next read, moves back made at once) through random reads and moves over random plans: every byte it
 * gives is the source's, bar zeros inside holes; it never ends early; every chunk is closed.
 */
class ChunkStreamPlanTest {

    private static final int SEEDS = 1500;

    /** The moves and reads of a demuxer, on the bridge's terms. */
    private static final class Reader {
        private final ChunkStream chunks;
        private final long skipLimit;
        private long pendingMove = -1;

        Reader(ChunkStream chunks, long skipLimit) {
            this.chunks = chunks;
            this.skipLimit = skipLimit;
        }

        long position() {
            return pendingMove >= 0 ? pendingMove : chunks.position();
        }

        void seek(long offset) {
            if (offset >= chunks.position()) {
                pendingMove = offset;
            } else {
                pendingMove = -1;
                moveTo(offset);
            }
        }

        int read(ByteBuffer into) {
            if (pendingMove >= 0) {
                moveTo(pendingMove);
                pendingMove = -1;
            }
            return chunks.read(into);
        }

        private void moveTo(long offset) {
            if (!chunks.skipTo(offset, skipLimit)) {
                chunks.open(offset);
            }
        }
    }

    @Test
    void givesTheSourcesBytesOrZerosInHolesWhateverTheMoves() {
        for (long seed = 0; seed < SEEDS; seed++) {
            run(new Random(seed), seed);
        }
    }

    private static void run(Random random, long seed) {
        byte[] file = new byte[5_000 + random.nextInt(random.nextBoolean() ? 30_000 : 200_000)];
        for (int i = 0; i < file.length; i++) {
            file[i] = (byte) (1 + random.nextInt(255));
        }
        // Samples back to back, sometimes with bytes of other tracks between them; a quarter of them needed.
        List<ByteSpan> samples = new ArrayList<>();
        List<ByteSpan> needed = new ArrayList<>();
        List<ByteSpan> skipped = new ArrayList<>();
        for (long at = 100 + random.nextInt(2_000); ; ) {
            int size = 1 + random.nextInt(random.nextBoolean() ? 500 : 8_000);
            if (at + size > file.length - random.nextInt(3_000)) {
                break;
            }
            ByteSpan sample = new ByteSpan(at, size);
            samples.add(sample);
            (random.nextInt(4) == 0 ? needed : skipped).add(sample);
            at += size + (random.nextInt(3) == 0 ? random.nextInt(4_000) : 0);
        }
        if (needed.isEmpty()) {
            return;
        }
        ReadPlan plan = ReadPlan.of(needed, skipped, random.nextInt(3) == 0 ? 0 : random.nextInt(40_000));
        MemorySource source = MemorySource.of(file).withRandomChunks(1, 3_000, seed);
        StopSignal signal = new StopSignal(Duration.ofSeconds(20));
        signal.bind(Thread.currentThread());
        ChunkStream chunks = new ChunkStream(source, 1 + random.nextInt(8), 8_192L * random.nextInt(3), signal,
                new Counters(), Context.empty());
        chunks.size(file.length);
        chunks.open(0);
        Reader reader = new Reader(chunks, random.nextBoolean() ? AvioBridge.SKIP_LIMIT : random.nextInt(20_000));
        int planAt = random.nextInt(60);
        ByteBuffer into = ByteBuffer.allocate(70_000);
        try {
            for (int step = 0; step < 300; step++) {
                if (step == planAt) {
                    chunks.plan(plan);
                }
                switch (random.nextInt(10)) {
                    case 0, 1 -> {
                        ByteSpan sample = samples.get(random.nextInt(samples.size()));
                        reader.seek(sample.offset() + (random.nextInt(4) == 0 ? random.nextInt((int) sample.length())
                                : 0));
                    }
                    case 2 -> reader.seek(Math.max(0, reader.position() - random.nextInt(20_000)));
                    case 3 -> reader.seek(random.nextInt(file.length));
                    default -> { }
                }
                long at = reader.position();
                into.clear().limit(1 + random.nextInt(random.nextBoolean() ? 200 : 65_536));
                int n = reader.read(into);
                String where = "seed " + seed + ", step " + step + ", read at " + at;
                if (n < 0) {
                    assertThat(at).as(where).isGreaterThanOrEqualTo(file.length);
                    continue;
                }
                assertThat(chunks.position()).as(where).isEqualTo(at + n);
                for (int i = 0; i < n; i++) {
                    byte got = into.get(i);
                    if (got != file[(int) (at + i)]) {
                        assertThat(got == 0 && plan.holeEnd(at + i) >= 0).as("%s: byte %d", where, at + i).isTrue();
                    }
                }
            }
        } finally {
            chunks.close();
        }
        assertThat(source.outstandingChunks()).as("seed %d: chunks not closed", seed).isZero();
    }
}
