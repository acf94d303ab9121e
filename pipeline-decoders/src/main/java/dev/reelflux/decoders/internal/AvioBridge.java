package dev.reelflux.decoders.internal;

import dev.reelflux.core.SourceInfo;
import dev.reelflux.decoders.DecodeListener;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avformat.Seek_Pointer_long_int;
import org.bytedeco.ffmpeg.avformat.Write_packet_Pointer_BytePointer_int;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.bytedeco.ffmpeg.global.avformat.AVIO_SEEKABLE_NORMAL;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FORCE;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

/**
 * A custom {@code AVIOContext} that reads a {@link ChunkStream}, and the format context's interrupt callback.
 *
 * <p>FFmpeg calls back on the decode thread. The read callback waits for source bytes (so a slow FFmpeg reads the
 * source slowly, and a slow source stalls FFmpeg); the seek callback serves short moves from the bytes in flight and
 * turns long ones into a new ranged read, or refuses them on a source without ranges; both callbacks and the
 * interrupt callback answer {@code AVERROR_EXIT} once the decode is stopped or something failed, so no thread stays
 * in FFmpeg. A callback never throws into native code: the first failure is kept in {@link #failure()} for the
 * session to raise once FFmpeg has returned.
 *
 * <p>The callbacks are three static thunks shared by all bridges (FACTS 6): each call finds its bridge from the
 * {@code opaque} pointer, a one-byte native allocation that is unique while the bridge is open.
 */
final class AvioBridge implements AutoCloseable {

    /** AVIO buffer size: one source chunk, so one read callback usually copies one chunk. */
    static final int BUFFER_SIZE = 64 * 1024;
    /** Forward moves up to this many bytes are served by dropping bytes in flight rather than starting a new read. */
    static final long SKIP_LIMIT = 256 * 1024;
    private static final int SEEK_SET = 0;

    private static final Map<Long, AvioBridge> OPEN = new ConcurrentHashMap<>();
    private static final ReadCallback READ = new ReadCallback();
    private static final SeekCallback SEEK = new SeekCallback();
    private static final InterruptCallback INTERRUPT = new InterruptCallback();

    private final ChunkStream chunks;
    private final SourceInfo info;
    private final StopSignal signal;
    private final Counters counters;
    private final DecodeListener listener;
    /** Where FFmpeg's byte 0 is in the source: a stream that starts inside it ({@link ChunkStream#atStreamEnd}). */
    private final long base;
    private final BytePointer opaque;
    private final AVIOContext avio;
    private volatile Throwable failure;
    private long refusedSeek = -1;
    private long pendingSeek = -1;

    /** A bridge to {@code chunks} from its current position, which FFmpeg sees as byte 0. */
    AvioBridge(ChunkStream chunks, SourceInfo info, StopSignal signal, Counters counters, DecodeListener listener) {
        this.chunks = chunks;
        this.base = chunks.position();
        this.info = info;
        this.signal = signal;
        this.counters = counters;
        this.listener = listener;
        BytePointer buffer = new BytePointer(av_malloc(BUFFER_SIZE));
        this.opaque = new BytePointer(1);
        this.avio = buffer.isNull() ? null
                : avio_alloc_context(buffer, BUFFER_SIZE, 0, opaque, READ, (Write_packet_Pointer_BytePointer_int) null,
                        SEEK);
        if (avio == null || avio.isNull()) {
            av_free(buffer);
            opaque.close();
            throw DecodeErrors.outOfMemory("avio", "allocating the AVIO context");
        }
        OPEN.put(opaque.address(), this);
        // A source without ranges is a pipe to FFmpeg: it then reads forward instead of seeking, and the demuxers
        // that look at the end of a seekable file (Matroska cues, MP4 moov after mdat) do not try.
        avio.seekable(info.rangesSupported() ? AVIO_SEEKABLE_NORMAL : 0);
    }

    /** Makes {@code format} read through this bridge and ask it whether to give up. */
    void attach(AVFormatContext format) {
        format.pb(avio);
        format.flags(format.flags() | AVFormatContext.AVFMT_FLAG_CUSTOM_IO);
        AVIOInterruptCB interrupt = format.interrupt_callback();
        interrupt.callback(INTERRUPT);
        interrupt.opaque(opaque);
    }

    /**
     * Makes every seek of FFmpeg reach this bridge, even within FFmpeg's buffer. FFmpeg otherwise reads through any
     * move shorter than its buffer plus 32 KB, so skipping samples one by one (keyframes only) would still read
     * them all; here they are dropped in flight or jumped over with a ranged read. Only worth it once the header is
     * parsed: reading the header seeks back and forth over small distances.
     */
    void seekDirectly() {
        avio.direct(1);
    }

    /** Where FFmpeg's byte 0 is in the source. */
    long base() {
        return base;
    }

    /** The first failure inside a callback (the source's error, or a layout the source cannot serve), or null. */
    Throwable failure() {
        return failure;
    }

    /** The offset of a seek refused because the source has no ranges, or -1. */
    long refusedSeek() {
        return refusedSeek;
    }

    private boolean interrupted() {
        return failure != null || signal.stopped();
    }

    /** What a callback answers once the decode is over; FFmpeg's complaints about the data cut short are noise. */
    private static int exit() {
        FFmpegLog.muteCurrentThread();
        return AVERROR_EXIT;
    }

    private int read(BytePointer buf, int size) {
        if (interrupted()) {
            return exit();
        }
        try {
            if (pendingSeek >= 0) {
                moveTo(pendingSeek);
                pendingSeek = -1;
            }
            int n = chunks.read(buf.position(0).capacity(size).asByteBuffer());
            return n < 0 ? AVERROR_EOF : n;
        } catch (Stopped e) {
            return exit();
        } catch (Throwable t) {
            failure = t;
            return exit();
        }
    }

    /**
     * Answers FFmpeg's seeks. A move forward is only noted, and made when FFmpeg next reads: a demuxer that skips
     * samples one by one (keyframes only) asks for many short moves in a row, which together are one long jump worth
     * a ranged read. A move back is made at once, so that one the source cannot serve is refused right away.
     */
    private long seek(long offset, int whence) {
        int how = whence & ~AVSEEK_FORCE;
        if (how == AVSEEK_SIZE) {
            return info.size() < 0 ? info.size() : info.size() - base;
        }
        if (how != SEEK_SET || offset < 0) {
            return FFmpegErrors.EINVAL;
        }
        if (interrupted()) {
            return exit();
        }
        long target = base + offset;
        if (target >= chunks.position()) {
            pendingSeek = target;
            return offset;
        }
        pendingSeek = -1;
        try {
            if (!moveTo(target)) {
                refusedSeek = target;
                return FFmpegErrors.ESPIPE;
            }
            return offset;
        } catch (Stopped e) {
            return exit();
        } catch (Throwable t) {
            failure = t;
            return exit();
        }
    }

    /**
     * Moves the source to {@code offset}: within or just ahead of the bytes held, else with a new ranged read.
     *
     * @return false when that needs a ranged read and the source has none
     */
    private boolean moveTo(long offset) {
        long from = chunks.position();
        // Without ranges, reading through is the only way forward, however far.
        if (chunks.skipTo(offset, info.rangesSupported() ? SKIP_LIMIT : Long.MAX_VALUE)) {
            if (offset != from) {
                counters.seeks++;
                Listeners.seek(listener, from, offset, false);
            }
            return true;
        }
        if (!info.rangesSupported()) {
            return false;
        }
        chunks.open(offset);
        counters.seeks++;
        Listeners.seek(listener, from, offset, true);
        return true;
    }

    /**
     * Frees the AVIO context and its current buffer (FFmpeg may have replaced the one given at creation, FACTS 7).
     * Call after the format context was closed, which leaves a custom AVIO alone.
     */
    @Override
    public void close() {
        av_free(avio.buffer());
        avio_context_free(avio);
        OPEN.remove(opaque.address());
        opaque.close();
    }

    private static AvioBridge of(Pointer opaque) {
        return opaque == null ? null : OPEN.get(opaque.address());
    }

    private static final class ReadCallback extends Read_packet_Pointer_BytePointer_int {
        @Override
        public int call(Pointer opaque, BytePointer buf, int size) {
            AvioBridge bridge = of(opaque);
            return bridge == null ? AVERROR_EXIT : bridge.read(buf, size);
        }
    }

    private static final class SeekCallback extends Seek_Pointer_long_int {
        @Override
        public long call(Pointer opaque, long offset, int whence) {
            AvioBridge bridge = of(opaque);
            return bridge == null ? AVERROR_EXIT : bridge.seek(offset, whence);
        }
    }

    private static final class InterruptCallback extends AVIOInterruptCB.Callback_Pointer {
        @Override
        public int call(Pointer opaque) {
            AvioBridge bridge = of(opaque);
            return bridge == null || bridge.interrupted() ? 1 : 0;
        }
    }
}
