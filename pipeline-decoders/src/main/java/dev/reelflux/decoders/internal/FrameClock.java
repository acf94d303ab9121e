package dev.reelflux.decoders.internal;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

/**
 * Display-order frame numbers and times of one video stream.
 *
 * <p>Counting the frames the decoder outputs gives OpenCV's numbering, edit lists included, but only while every frame
 * is decoded. When frames are skipped before decoding, the number comes from the timestamp instead:
 * {@code round((pts - start) * timeBase * fps)}, exact for constant frame rates. {@code start} is the stream's start
 * time, or, when the container did not give one, the first timestamp seen.
 *
 * <p>In a container whose clock may jump ({@code AVFMT_TS_DISCONT}: MPEG-TS, where HLS segments joined across an
 * {@code EXT-X-DISCONTINUITY}, a spliced capture or a 33-bit wrap restart it), packet timestamps are made continuous
 * before decoding, as FFmpeg's command line does: a decode timestamp that goes back, or forward by more than
 * {@value #JUMP_SECONDS} s, moves every later one to follow the last by one frame. So frame numbers and times keep
 * rising for the user, selection by time included.
 */
final class FrameClock {

    /** A forward gap this long is a jump, not a pause: FFmpeg's own default ({@code dts_delta_threshold}). */
    private static final double JUMP_SECONDS = 10;

    private final double timeBase;
    private final double fps;
    private final boolean mayJump;
    /** The number and time of this stream's first frame: 0, or what the streams before it in the source left. */
    private final long firstIndex;
    private final double firstSeconds;
    private long start;
    private long decoded;
    private long lastIndex;
    /** Where the latest packet demuxed ends (its pts plus its duration), whether or not it was decoded. */
    private long packetsEnd = AV_NOPTS_VALUE;
    private long offset;
    private long lastDts = AV_NOPTS_VALUE;

    /** The clock of {@code stream}; {@code mayJump} when its container's timestamps may jump. */
    FrameClock(AVStream stream, boolean mayJump) {
        this(stream, mayJump, 0, 0);
    }

    private FrameClock(AVStream stream, boolean mayJump, long firstIndex, double firstSeconds) {
        this.timeBase = av_q2d(stream.time_base());
        this.fps = frameRate(stream);
        this.mayJump = mayJump;
        this.start = stream.start_time();
        this.firstIndex = firstIndex;
        this.firstSeconds = firstSeconds;
        this.lastIndex = firstIndex - 1;
    }

    /**
     * The clock of a stream that follows this one in the same source (a new init section of an HLS stream): its
     * frames are numbered and timed on from where this one's packets end, so that a decode that skipped frames
     * (thinned, or non-reference frames not decoded) numbers the next stream as a full decode does.
     */
    FrameClock followedBy(AVStream next, boolean nextMayJump) {
        if (packetsEnd == AV_NOPTS_VALUE || fps <= 0) {
            return new FrameClock(next, nextMayJump, lastIndex + 1, seconds(AV_NOPTS_VALUE, lastIndex + 1));
        }
        return new FrameClock(next, nextMayJump, Math.max(lastIndex + 1, indexAt(packetsEnd)),
                seconds(packetsEnd, lastIndex + 1));
    }

    /**
     * Shifts {@code packet}'s timestamps by the jumps seen so far, first noting a new one, in a container whose clock
     * may jump; nothing otherwise.
     */
    void continueAcrossJumps(AVPacket packet) {
        if (!mayJump) {
            return;
        }
        // Only decode timestamps rise packet after packet: a presentation one goes back at every B-frame.
        long raw = packet.dts();
        if (raw != AV_NOPTS_VALUE) {
            long dts = raw + offset;
            if (lastDts != AV_NOPTS_VALUE && (dts < lastDts || (dts - lastDts) * timeBase > JUMP_SECONDS)) {
                long frame = fps > 0 ? Math.max(1, Math.round(1 / (fps * timeBase))) : 1;
                offset = lastDts + frame - raw;
                dts = raw + offset;
            }
            lastDts = dts;
        }
        if (packet.pts() != AV_NOPTS_VALUE) {
            packet.pts(packet.pts() + offset);
        }
        if (packet.dts() != AV_NOPTS_VALUE) {
            packet.dts(packet.dts() + offset);
        }
    }

    /** The stream's frame rate: the average one, else the container's base rate, else 0. */
    static double frameRate(AVStream stream) {
        AVRational rate = stream.avg_frame_rate();
        if (rate.num() <= 0 || rate.den() <= 0) {
            rate = stream.r_frame_rate();
        }
        return rate.num() > 0 && rate.den() > 0 ? av_q2d(rate) : 0;
    }

    double fps() {
        return fps;
    }

    /** Whether the container's timestamps may jump (MPEG-TS). */
    boolean mayJump() {
        return mayJump;
    }

    /** Whether numbers can come from timestamps: needs a frame rate. */
    boolean canIndexByTime() {
        return fps > 0;
    }

    /**
     * Notes a packet demuxed, decoded or not: its timestamp becomes the start when the container gave none, and where
     * it ends is where a stream that follows goes on ({@link #followedBy}).
     */
    void observe(AVPacket packet) {
        long pts = packet.pts();
        if (pts == AV_NOPTS_VALUE) {
            return;
        }
        if (start == AV_NOPTS_VALUE) {
            start = pts;
        }
        long duration = packet.duration() > 0 ? packet.duration()
                : fps > 0 ? Math.max(1, Math.round(1 / (fps * timeBase))) : 0;
        if (packetsEnd == AV_NOPTS_VALUE || pts + duration > packetsEnd) {
            packetsEnd = pts + duration;
        }
    }

    long start() {
        return start == AV_NOPTS_VALUE ? 0 : start;
    }

    /** The number of the frame shown at {@code pts}. */
    long indexAt(long pts) {
        return firstIndex + Math.round((pts - start()) * timeBase * fps);
    }

    /** The number of the next frame the decoder output: counted, or {@link #indexAt} its timestamp. */
    long next(long pts, boolean byTime) {
        long counted = firstIndex + decoded++;
        // Frames come out in display order: a timestamp that rounds onto the last index (a variable frame rate, a
        // jittery clock) still gets an index of its own, so that every stage downstream sees indexes rise.
        long index = byTime && pts != AV_NOPTS_VALUE ? Math.max(lastIndex + 1, indexAt(pts)) : counted;
        lastIndex = index;
        return index;
    }

    /** Seconds from the start of the stream to {@code pts}; for a frame without one, from its number. */
    double seconds(long pts, long index) {
        if (pts == AV_NOPTS_VALUE) {
            return fps > 0 ? index / fps : firstSeconds;
        }
        return firstSeconds + (pts - start()) * timeBase;
    }
}
