package dev.reelflux.decoders.internal;

import dev.reelflux.core.ByteSource;
import dev.reelflux.core.Chunk;
import dev.reelflux.core.ParallelSource;
import reactor.core.Exceptions;
import reactor.util.context.Context;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BiConsumer;

/**
 * The source as a sequential byte stream with a position, for the AVIO callbacks. Used on the decode thread only.
 *
 * <p>It holds one {@link ChunkSubscriber} (the current read), the chunk being consumed, and the chunks consumed last,
 * up to {@code keepBehind} bytes: FFmpeg reads ahead into its own buffer and may step back into it, which then costs
 * nothing. A short move forward or back ({@link #skipTo}) is served from the bytes held or arriving; a jump
 * ({@link #open}) cancels the current read, closes its chunks and starts a new ranged read.
 *
 * <p>With a {@link ReadPlan}, a jump into one of its spans or holes reads only the plan's spans from there on, several
 * at once; the chunks then have gaps between them. Moves along the plan only set the position: bytes before it are
 * dropped as they come, and holes read as zeros without waiting. Reading into a gap that is no hole, or a jump out of
 * the plan, drops the plan and goes back to reading everything from there: slower, never wrong.
 */
final class ChunkStream implements ReadPlanFollower, AutoCloseable {

    private final ByteSource source;
    private final int prefetch;
    private final long keepBehind;
    private final StopSignal signal;
    private final Counters counters;
    private final Context context;
    private ReadPlan plan;
    private boolean planned;
    private BiConsumer<Long, ByteBuffer> inspector = (offset, bytes) -> { };
    private ChunkSubscriber read;
    private final Deque<Held> behind = new ArrayDeque<>();
    private final Deque<Held> ahead = new ArrayDeque<>();
    private long behindBytes;
    private Held current;
    private long position;
    private int readsStarted;
    private long size = ByteSource.UNKNOWN_SIZE;
    /** The first chunk of a stream of its own ({@link Chunk#startsStream}), held back while {@link #atStreamEnd}. */
    private Chunk nextStream;
    private boolean atStreamEnd;

    ChunkStream(ByteSource source, int prefetch, long keepBehind, StopSignal signal, Counters counters,
                Context context) {
        this.source = source;
        this.prefetch = prefetch;
        this.keepBehind = keepBehind;
        this.signal = signal;
        this.counters = counters;
        this.context = context;
    }

    /**
     * Spans read at once when following a {@link ReadPlan}, hiding each request's round trip, unless the source is
     * a {@link ParallelSource}, whose own number of connections then applies.
     */
    private static final int PLAN_CONNECTIONS = 4;
    private static final byte[] ZEROS = new byte[AvioBridge.BUFFER_SIZE];

    /** A chunk of the current read and where its bytes start and end in its buffer. */
    private record Held(Chunk chunk, long offset, int base, int end) {
        ByteBuffer data() {
            return chunk.data();
        }

        int length() {
            return end - base;
        }

        /** Where the next byte of the chunk lies in the source. */
        long next() {
            return offset + data().position() - base;
        }

        /** Whether {@code target} lies in the chunk or just after its last byte. */
        boolean reaches(long target) {
            return target >= offset && target <= offset + length();
        }
    }

    /**
     * Reads only {@code plan}'s spans from here on. When the end of the bytes taken so far lies in the plan, the read
     * so far stops at once (so that a read racing ahead over several connections fetches no more of what the plan
     * skips) and the plan's read starts there, keeping the bytes taken for moves back; else the plan starts at the
     * next jump into it.
     */
    @Override
    public void plan(ReadPlan plan) {
        this.plan = plan;
        long takenEnd = takenEnd();
        if (read != null && !planned && plan.covers(takenEnd)) {
            read.cancel();
            planned = true;
            startRead(takenEnd);
        }
    }

    /**
     * Follows {@code next} (null: no plan, everything) from the position on, in place of the plan followed so far: the
     * selection changed mid-read. The read so far stops and the bytes taken ahead are dropped; the new plan's read
     * starts at the position (reading everything from there where the plan does not cover it).
     */
    @Override
    public void replan(ReadPlan next) {
        this.plan = next;
        open(position);
    }

    /** Where the bytes of the chunks taken from the read end. */
    private long takenEnd() {
        long end = position;
        if (current != null) {
            end = Math.max(end, current.offset() + current.length());
        }
        for (Held held : ahead) {
            end = Math.max(end, held.offset() + held.length());
        }
        return end;
    }

    /**
     * Shows each chunk to {@code inspector} too (its offset and a view of its bytes) when it is first taken, in
     * order; an inspector may throw to fail the read.
     */
    void inspectWith(BiConsumer<Long, ByteBuffer> inspector) {
        this.inspector = this.inspector.andThen(inspector);
    }

    /** The source's size, once known: reads are not started past it. */
    void size(long size) {
        this.size = size;
    }

    /** Where the source ends: its size when known, else the position once the read reached its end, else -1. */
    long knownEnd() {
        if (size >= 0) {
            return size;
        }
        boolean drained = read == null || (read.finished() && read.error() == null && read.isEmpty());
        return drained && ahead.isEmpty() && (current == null || !current.data().hasRemaining()) ? position : -1;
    }

    /** Offset of the next byte {@link #read} returns. */
    long position() {
        return position;
    }

    /**
     * Drops the current read and reads from {@code offset}: the plan's spans when it lies in the plan, else everything
     * to the end (and the plan is dropped). Past a known end nothing is read.
     */
    void open(long offset) {
        closeRead();
        position = offset;
        planned = plan != null && plan.covers(offset);
        if (!planned) {
            plan = null;
        }
        if (size < 0 || offset < size) {
            startRead(offset);
        }
    }

    /** Starts reading at {@code offset}: the plan's spans from there when {@link #planned}, else to the end. */
    private void startRead(long offset) {
        if (readsStarted++ > 0) {
            counters.rangeReads++;
        }
        read = new ChunkSubscriber(prefetch, signal, counters, context);
        if (planned) {
            ParallelSource spans = source instanceof ParallelSource parallel ? parallel
                    : ParallelSource.of(source).optConnections(PLAN_CONNECTIONS);
            spans.read(plan.from(offset)).subscribe(read);
        } else {
            source.read(offset, ByteSource.TO_END).subscribe(read);
        }
    }

    /**
     * Copies bytes into {@code dst}: waits for the first one, then takes what has arrived without waiting more.
     *
     * @return bytes copied, or -1 at the end of the source
     * @throws Stopped when the decode is stopped while waiting
     * @throws RuntimeException the source's error (checked ones wrapped by {@link Exceptions#propagate})
     */
    int read(ByteBuffer dst) {
        if (!dst.hasRemaining()) {
            return 0;
        }
        int copied = 0;
        while (dst.hasRemaining()) {
            long holeEnd = planned ? plan.holeEnd(position) : -1;
            if (holeEnd >= 0) {
                int n = (int) Math.min(Math.min(dst.remaining(), holeEnd - position), ZEROS.length);
                dst.put(ZEROS, 0, n);
                position += n;
                copied += n;
                continue;
            }
            if (!readable(copied == 0)) {
                break;
            }
            long behindBy = position - current.next();
            if (planned && behindBy > 0) {
                // Bytes of a hole, or of a move along the plan: not wanted.
                ByteBuffer data = current.data();
                data.position(data.position() + (int) Math.min(behindBy, data.remaining()));
                continue;
            }
            if (current.next() != position) {
                if (copied > 0) {
                    break;
                }
                // Bytes of the plan no longer held (after a move back): read them again. Else the plan skipped
                // them, yet they are wanted: drop it.
                if (!planned || plan.indexOf(position) < 0) {
                    plan = null;
                }
                open(position);
                continue;
            }
            ByteBuffer data = current.data();
            int n = Math.min(dst.remaining(), data.remaining());
            dst.put(dst.position(), data, data.position(), n);
            dst.position(dst.position() + n);
            data.position(data.position() + n);
            position += n;
            copied += n;
            counters.bytesRead += n;
        }
        return copied == 0 ? -1 : copied;
    }

    /**
     * Moves to {@code target} without a new read when it lies in the bytes held, or at most {@code maxAhead} bytes
     * ahead (bytes in between are dropped as they arrive).
     *
     * @return false when the move needs a new read
     */
    boolean skipTo(long target, long maxAhead) {
        if (target <= position) {
            return rewind(target);
        }
        boolean inPlan = plan != null && plan.covers(target);
        // The first jump into the plan switches to it, however short; once on it, only planned bytes lie between,
        // so moving on along it is cheap however far, and reading drops what lies before the position.
        if (inPlan) {
            if (planned) {
                position = target;
            }
            return planned;
        }
        if (target - position > maxAhead) {
            return false;
        }
        while (position < target) {
            if (!readable(true)) {
                position = target;
                return true;
            }
            long next = current.next();
            if (next > target) {
                // The target lies in a gap the plan skipped.
                return false;
            }
            // From the chunk's next byte, which lags behind the position after moves along a plan.
            ByteBuffer data = current.data();
            int n = (int) Math.min(target - next, data.remaining());
            data.position(data.position() + n);
            position = Math.max(position, next + n);
        }
        return true;
    }

    private boolean rewind(long target) {
        if (target == position) {
            return true;
        }
        if (planned && plan.covers(target)) {
            stepBackTo(target);
            return true;
        }
        if (!holds(target)) {
            return false;
        }
        while (!current.reaches(target)) {
            ahead.addFirst(current);
            current = behind.pollLast();
            behindBytes -= current.length();
        }
        current.data().position(current.base() + (int) (target - current.offset()));
        position = target;
        return true;
    }

    /**
     * Moves back along the plan: steps back over the chunks that start after {@code target} while some are held, so
     * that reading on finds the bytes from there again (or, where none is held, gives the holes' zeros and reopens
     * at a span's bytes no longer held).
     */
    private void stepBackTo(long target) {
        position = target;
        if (current == null) {
            return;
        }
        while (current.offset() > target && !behind.isEmpty()) {
            ahead.addFirst(current);
            current = behind.pollLast();
            behindBytes -= current.length();
        }
        long into = Math.max(0, Math.min(target - current.offset(), current.length()));
        current.data().position(current.base() + (int) into);
    }

    /** Whether the current chunk or one stepped over holds {@code target} (with a plan, gaps lie between them). */
    private boolean holds(long target) {
        if (current == null) {
            return false;
        }
        if (current.reaches(target)) {
            return true;
        }
        for (Held held : behind) {
            if (held.reaches(target)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Makes sure the current chunk has bytes, moving on to a chunk stepped back over or a new one from the source;
     * false at the end of the read, or when none is ready and {@code wait} is false.
     */
    private boolean readable(boolean wait) {
        while (current == null || !current.data().hasRemaining()) {
            Held next = ahead.pollFirst();
            boolean fresh = next == null;
            if (fresh) {
                Chunk chunk = take(wait);
                if (chunk == null) {
                    return false;
                }
                next = new Held(chunk, chunk.offset(), chunk.data().position(), chunk.data().limit());
            }
            next.data().position(next.base());
            if (current != null) {
                behind.addLast(current);
                behindBytes += current.length();
            }
            current = next;
            while (!behind.isEmpty() && behindBytes - behind.peekFirst().length() >= keepBehind) {
                Held oldest = behind.pollFirst();
                behindBytes -= oldest.length();
                oldest.chunk().close();
            }
            if (fresh) {
                inspector.accept(next.offset(), next.data().duplicate());
            }
        }
        return true;
    }

    private Chunk take(boolean wait) {
        if (read == null || atStreamEnd) {
            return null;
        }
        if (nextStream != null) {
            Chunk chunk = nextStream;
            nextStream = null;
            return chunk;
        }
        for (;;) {
            boolean finished = read.finished();
            Chunk chunk = read.poll();
            if (chunk != null && chunk.startsStream()) {
                // The stream so far ends here for its demuxer; the next one reads on once it was started.
                nextStream = chunk;
                atStreamEnd = true;
                return null;
            }
            if (chunk != null) {
                return chunk;
            }
            if (finished) {
                if (read.error() != null) {
                    throw Exceptions.propagate(read.error());
                }
                if (planned && (size < 0 || position < size)) {
                    // The plan's last span is read, but the file goes on: read on from here, plan or not.
                    plan = null;
                    open(position);
                    continue;
                }
                return null;
            }
            if (!wait) {
                return null;
            }
            signal.await();
        }
    }

    /**
     * Whether the bytes read so far end at the start of a stream of its own ({@link Chunk#startsStream}): reads
     * answer the end of the source until {@link #startNextStream}.
     */
    boolean atStreamEnd() {
        return atStreamEnd;
    }

    /**
     * Reads on into the stream {@link #atStreamEnd} stopped at, from its first byte: bytes of the stream before that
     * are dropped, wherever the last demuxer left the position.
     */
    void startNextStream() {
        atStreamEnd = false;
        dropHeld();
        position = nextStream.offset();
    }

    private void closeRead() {
        if (read != null) {
            read.cancel();
            read = null;
        }
        if (nextStream != null) {
            nextStream.close();
            nextStream = null;
        }
        atStreamEnd = false;
        dropHeld();
    }

    /** Closes the chunk being read and those kept behind and ahead of it. */
    private void dropHeld() {
        if (current != null) {
            current.chunk().close();
            current = null;
        }
        for (Held held : behind) {
            held.chunk().close();
        }
        for (Held held : ahead) {
            held.chunk().close();
        }
        behind.clear();
        ahead.clear();
        behindBytes = 0;
    }

    @Override
    public void close() {
        closeRead();
    }
}
