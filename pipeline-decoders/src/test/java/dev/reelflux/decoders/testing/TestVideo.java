package dev.reelflux.decoders.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;

/**
 * Specification of a synthetic test clip, and the writer that makes it with the encoders of the LGPL FFmpeg build.
 *
 * <p>Immutable: every {@code opt*} call returns a modified copy, so one base spec can be shared by many tests. Nothing
 * native happens until {@link #writeTo(Path)} or {@link #toBytes()}; those check the combination first and throw
 * {@link IllegalArgumentException} before touching a file when it cannot be written (for example MPEG-4 Part 2 in
 * WebM, or B-frames with an encoder that has none).
 *
 * <p>Every frame carries its display index as a {@link FrameStamp} in the top-left corner, so a test can tell after
 * lossy coding exactly which frame a decoder handed it. The rest of the picture depends on the {@link Scene}.
 *
 * <pre>{@code
 * Path clip = TestVideo.create()
 *         .optCodec(TestVideo.Codec.MPEG4)
 *         .optBFrames(2)
 *         .optContainer(TestVideo.Container.MP4_MOOV_AT_END)
 *         .writeTo(dir.resolve("clip.mp4"));
 * }</pre>
 *
 * <p>Writing runs on the calling thread and is safe to do from several threads at once (each write has its own
 * contexts). Cost on two cores, 250 frames at 1080p: the ball scene takes 0.7 s (MPEG-4) to 2.5 s (H.264), the
 * pattern 1.5 s (MPEG-4), 3.8 s (VP9) or 8.7 s (H.264, openh264 works hard on its full-frame motion); AV1 runs at
 * 25-100 fps. A 320x240 clip of 250 frames takes 0.3 s.
 */
public final class TestVideo {

    /** The video codecs, each bound to the one encoder of the LGPL native jar that makes it. */
    public enum Codec {
        /** H.264 Constrained Baseline through {@code libopenh264}: no B-frames. */
        H264("libopenh264", AV_CODEC_ID_H264, false),
        /** MPEG-4 Part 2 through FFmpeg's own {@code mpeg4} encoder: the one with B-frames. */
        MPEG4("mpeg4", AV_CODEC_ID_MPEG4, true),
        /** VP9 through {@code libvpx-vp9}, realtime settings. */
        VP9("libvpx-vp9", AV_CODEC_ID_VP9, false),
        /** AV1 through {@code libaom-av1}, realtime usage and {@code cpu-used=8}; the slowest of the four. */
        AV1("libaom-av1", AV_CODEC_ID_AV1, false);

        private final String encoderName;
        private final int codecId;
        private final boolean bFrames;

        Codec(String encoderName, int codecId, boolean bFrames) {
            this.encoderName = encoderName;
            this.codecId = codecId;
            this.bFrames = bFrames;
        }

        /** The FFmpeg encoder that writes this codec, as {@code avcodec_find_encoder_by_name} knows it. */
        public String encoderName() {
            return encoderName;
        }

        /** The {@code AV_CODEC_ID_*} value a demuxer reports for streams of this codec. */
        public int codecId() {
            return codecId;
        }

        /** Whether {@link TestVideo#optBFrames(int)} may be above zero for this codec. */
        public boolean supportsBFrames() {
            return bFrames;
        }
    }

    /** The containers, with the muxer options that give each its layout. */
    public enum Container {
        /** MP4 with {@code moov} moved in front of {@code mdat} ({@code movflags=+faststart}): plays without a seek. */
        MP4_FASTSTART("mp4", Map.of("movflags", "+faststart"), ".mp4", EnumSet.allOf(Codec.class)),
        /** MP4 as the muxer writes it by default, {@code moov} after {@code mdat}: playing needs a seek to the end. */
        MP4_MOOV_AT_END("mp4", Map.of(), ".mp4", EnumSet.allOf(Codec.class)),
        /** Fragmented MP4 ({@code +frag_keyframe+empty_moov+default_base_moof}): one fragment per GOP. */
        MP4_FRAGMENTED("mp4", Map.of("movflags", "+frag_keyframe+empty_moov+default_base_moof"), ".mp4",
                EnumSet.allOf(Codec.class)),
        /** Matroska. */
        MKV("matroska", Map.of(), ".mkv", EnumSet.allOf(Codec.class)),
        /** WebM: the Matroska subset that only admits VP8/VP9/AV1 video. */
        WEBM("webm", Map.of(), ".webm", EnumSet.of(Codec.VP9, Codec.AV1)),
        /** MPEG transport stream; FFmpeg's muxer has stream types for H.264 and MPEG-4 Part 2 only (of these four). */
        MPEGTS("mpegts", Map.of(), ".ts", EnumSet.of(Codec.H264, Codec.MPEG4)),
        /**
         * Fragmented MP4 in fragments of 0.4 s, shorter than a GOP, indexed by a global {@code sidx}
         * ({@code +empty_moov+default_base_moof+global_sidx}, {@code frag_duration=400000}): the demuxer learns of
         * each sample only when it reaches its fragment.
         */
        MP4_SHORT_FRAGMENTS("mp4", Map.of("movflags", "+empty_moov+default_base_moof+global_sidx",
                "frag_duration", "400000"), ".mp4", EnumSet.allOf(Codec.class)),
        /**
         * HLS by FFmpeg's own {@code hls} muxer: a VOD playlist of MPEG-TS segments of about a second (one GOP or
         * more each), written beside the playlist ({@link TestVideo#writeTo} a {@code .m3u8} path).
         */
        HLS_TS("hls", Map.of("hls_time", "1", "hls_playlist_type", "vod", "hls_segment_type", "mpegts"), ".m3u8",
                EnumSet.of(Codec.H264, Codec.MPEG4)),
        /** {@link #HLS_TS} with fragmented MP4 segments after an init section ({@code EXT-X-MAP}). */
        HLS_FMP4("hls", Map.of("hls_time", "1", "hls_playlist_type", "vod", "hls_segment_type", "fmp4"), ".m3u8",
                EnumSet.of(Codec.H264, Codec.MPEG4)),
        /** {@link #HLS_TS} with every segment a byte range of one file ({@code EXT-X-BYTERANGE}). */
        HLS_BYTE_RANGES("hls", Map.of("hls_time", "1", "hls_playlist_type", "vod", "hls_flags", "single_file"),
                ".m3u8", EnumSet.of(Codec.H264, Codec.MPEG4)),
        /**
         * {@link #HLS_TS} with every segment encrypted by the muxer with AES-128 and the key {@link #HLS_KEY}, as a
         * publisher does it ({@code hls_key_info_file}): the key is written beside the playlist as
         * {@value #HLS_KEY_FILE} and named by that relative URI in {@code EXT-X-KEY}, with the IV the muxer chose.
         */
        HLS_AES_128("hls", Map.of("hls_time", "1", "hls_playlist_type", "vod", "hls_segment_type", "mpegts"),
                ".m3u8", EnumSet.of(Codec.H264, Codec.MPEG4));

        /** The key {@link #HLS_AES_128} encrypts with. */
        public static final byte[] HLS_KEY = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
        /** The name of {@link #HLS_AES_128}'s key file beside its playlist. */
        public static final String HLS_KEY_FILE = "key.bin";

        private final String formatName;
        private final Map<String, String> muxerOptions;
        private final String extension;
        private final Set<Codec> codecs;

        Container(String formatName, Map<String, String> muxerOptions, String extension, Set<Codec> codecs) {
            this.formatName = formatName;
            this.muxerOptions = muxerOptions;
            this.extension = extension;
            this.codecs = Collections.unmodifiableSet(codecs);
        }

        /** The FFmpeg muxer name, as {@code avformat_alloc_output_context2} takes it. */
        public String formatName() {
            return formatName;
        }

        /**
         * Whether the clip is one file: an HLS playlist's segments lie beside it, so only {@link TestVideo#writeTo}
         * makes it, never {@link TestVideo#toBytes}.
         */
        public boolean oneFile() {
            return !formatName.equals("hls");
        }

        /** The usual file name extension, dot included, handy for temporary files. */
        public String extension() {
            return extension;
        }

        /** Whether this container can carry {@code codec}; {@link TestVideo#writeTo(Path)} refuses the rest. */
        public boolean supports(Codec codec) {
            return codecs.contains(codec);
        }

        /** Muxer options that give the layout (none where the muxer's default layout is wanted). */
        Map<String, String> muxerOptions() {
            return muxerOptions;
        }
    }

    /** What the picture shows besides the {@link FrameStamp}. */
    public enum Scene {
        /** A diagonal luma ramp and chroma bands, all moving a few pixels a frame, so every frame has real motion. */
        STAMPED_PATTERN,
        /** A pitch with two lines and a white ball on a known path: see {@link BallScene}. */
        BALL,
        /**
         * Flat frames, black, mid-grey and white in turn (BT.601 limited-range luma 16, 126 and 235, neutral chroma):
         * RGB 0, 128 and 255 once decoded.
         */
        GREY_LEVELS
    }

    /** Bits per pixel per frame for the default bitrate: about what H.264 needs for clean 1080p. */
    private static final double DEFAULT_BITS_PER_PIXEL = 0.15;
    private static final long MIN_DEFAULT_BITRATE = 1_000_000;
    /** The frame stamp needs an 8 x 4 grid of cells of at least 8 pixels. */
    private static final int MIN_SIZE = 64;

    private final Codec codec;
    private final Container container;
    private final int width;
    private final int height;
    private final int fps;
    private final int frames;
    private final int gop;
    private final int bFrames;
    private final long bitrate;
    private final Scene scene;
    private final boolean stamp;
    private final int grain;
    private final boolean closedGops;
    private final boolean dependencyMarks;

    private TestVideo(Codec codec, Container container, int width, int height, int fps, int frames, int gop,
                      int bFrames, long bitrate, Scene scene, boolean stamp, int grain, boolean closedGops,
                      boolean dependencyMarks) {
        this.codec = codec;
        this.container = container;
        this.width = width;
        this.height = height;
        this.fps = fps;
        this.frames = frames;
        this.gop = gop;
        this.bFrames = bFrames;
        this.bitrate = bitrate;
        this.scene = scene;
        this.stamp = stamp;
        this.grain = grain;
        this.closedGops = closedGops;
        this.dependencyMarks = dependencyMarks;
    }

    /**
     * The default spec: H.264 in faststart MP4, 320x240, 25 fps, 50 frames, a keyframe every 25 frames, no B-frames,
     * {@link Scene#STAMPED_PATTERN}, bitrate from the size (see {@link #bitrate()}).
     */
    public static TestVideo create() {
        return new TestVideo(Codec.H264, Container.MP4_FASTSTART, 320, 240, 25, 50, 25, 0, 0, Scene.STAMPED_PATTERN,
                true, 0, false, false);
    }

    /** A copy encoding with {@code codec}. */
    public TestVideo optCodec(Codec codec) {
        Objects.requireNonNull(codec, "codec");
        return new TestVideo(codec, container, width, height, fps, frames, gop, bFrames,
                bitrate, scene, stamp, grain, closedGops, dependencyMarks);
    }

    /** A copy muxed into {@code container}. */
    public TestVideo optContainer(Container container) {
        Objects.requireNonNull(container, "container");
        return new TestVideo(codec, container, width, height, fps, frames, gop, bFrames,
                bitrate, scene, stamp, grain, closedGops, dependencyMarks);
    }

    /**
     * A copy of {@code width} x {@code height} pixels.
     *
     * @throws IllegalArgumentException unless both are even (4:2:0 chroma) and at least 64
     */
    public TestVideo optSize(int width, int height) {
        if (width < MIN_SIZE || height < MIN_SIZE || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("size must be even and at least " + MIN_SIZE + ": " + width + "x"
                    + height);
        }
        return new TestVideo(codec, container, width, height, fps, frames, gop, bFrames,
                bitrate, scene, stamp, grain, closedGops, dependencyMarks);
    }

    /**
     * A copy at {@code fps} frames per second (constant frame rate; time base {@code 1/fps}).
     *
     * @throws IllegalArgumentException unless {@code 1 <= fps <= 240}
     */
    public TestVideo optFps(int fps) {
        requireRange("fps", fps, 1, 240);
        return new TestVideo(codec, container, width, height, fps, frames, gop, bFrames,
                bitrate, scene, stamp, grain, closedGops, dependencyMarks);
    }

    /**
     * A copy with {@code frames} frames. Frame stamps wrap at 65536.
     *
     * @throws IllegalArgumentException if {@code frames < 1}
     */
    public TestVideo optFrames(int frames) {
        requireRange("frames", frames, 1, Integer.MAX_VALUE);
        return new TestVideo(codec, container, width, height, fps, frames, gop, bFrames,
                bitrate, scene, stamp, grain, closedGops, dependencyMarks);
    }

    /**
     * A copy with a keyframe exactly every {@code gop} frames (display order), no more, no fewer.
     *
     * @throws IllegalArgumentException if {@code gop < 1}
     */
    public TestVideo optGop(int gop) {
        requireRange("gop", gop, 1, Integer.MAX_VALUE);
        return new TestVideo(codec, container, width, height, fps, frames, gop, bFrames,
                bitrate, scene, stamp, grain, closedGops, dependencyMarks);
    }

    /**
     * A copy with up to {@code bFrames} consecutive B-frames; only for codecs that
     * {@linkplain Codec#supportsBFrames() have them} (checked when writing).
     *
     * @throws IllegalArgumentException unless {@code 0 <= bFrames <= 4}
     */
    public TestVideo optBFrames(int bFrames) {
        requireRange("bFrames", bFrames, 0, 4);
        return new TestVideo(codec, container, width, height, fps, frames, gop, bFrames,
                bitrate, scene, stamp, grain, closedGops, dependencyMarks);
    }

    /**
     * A copy with target bitrate {@code bitsPerSecond} instead of the size-derived default.
     *
     * @throws IllegalArgumentException unless {@code 10_000 <= bitsPerSecond <= 200_000_000}
     */
    public TestVideo optBitrate(long bitsPerSecond) {
        if (bitsPerSecond < 10_000 || bitsPerSecond > 200_000_000) {
            throw new IllegalArgumentException("bitrate out of 10 kb/s .. 200 Mb/s: " + bitsPerSecond);
        }
        return new TestVideo(codec, container, width, height, fps, frames, gop, bFrames, bitsPerSecond, scene, stamp,
                grain, closedGops, dependencyMarks);
    }

    /** A copy showing {@code scene}. */
    public TestVideo optScene(Scene scene) {
        Objects.requireNonNull(scene, "scene");
        return new TestVideo(codec, container, width, height, fps, frames, gop, bFrames,
                bitrate, scene, stamp, grain, closedGops, dependencyMarks);
    }

    /**
     * A copy with or without the {@link FrameStamp} (on by default). A model that looks at the whole picture, like
     * the test ball detector, needs it off: the stamp's white cells would look like a ball.
     */
    public TestVideo optStamp(boolean stamp) {
        return new TestVideo(codec, container, width, height, fps, frames, gop, bFrames,
                bitrate, scene, stamp, grain, closedGops, dependencyMarks);
    }

    /**
     * A copy with sensor grain: every luma sample of the scene moves by up to {@code amplitude} levels, differently in
     * every frame (fixed seeds, so the clip is the same every time). Synthetic scenes are flat enough to cost an
     * encoder a tenth of what camera footage does; grain makes the bytes per second those of a real broadcast clip,
     * which is what download and key-frame figures depend on. The stamp is drawn over it, unaffected.
     *
     * @throws IllegalArgumentException unless {@code 0 <= amplitude <= 32}
     */
    public TestVideo optGrain(int amplitude) {
        requireRange("grain", amplitude, 0, 32);
        return new TestVideo(codec, container, width, height, fps, frames, gop, bFrames, bitrate, scene, stamp,
                amplitude, closedGops, dependencyMarks);
    }

    /**
     * A copy whose GOPs are closed: no B-frame refers to a frame of the previous GOP. Open GOPs (the default with
     * B-frames) start with a key frame that B-frames shown before it refer to, along with the previous GOP's last
     * frame. Only the MPEG-4 encoder makes open GOPs; it closes one by making the frame before its key frame another.
     */
    public TestVideo optClosedGops(boolean closed) {
        return new TestVideo(codec, container, width, height, fps, frames, gop, bFrames, bitrate, scene, stamp, grain,
                closed, dependencyMarks);
    }

    /**
     * A copy whose frames that no other frame refers to (B-frames) are marked so, as x264 marks them: MP4 then
     * carries an {@code sdtp} box. Only for codecs whose B-frames are never referred to (MPEG-4).
     */
    public TestVideo optDependencyMarks(boolean marks) {
        return new TestVideo(codec, container, width, height, fps, frames, gop, bFrames, bitrate, scene, stamp, grain,
                closedGops, marks);
    }

    /**
     * Encodes and muxes the clip into {@code file} (created or replaced); a partly written file is deleted when
     * writing fails.
     *
     * @return {@code file}
     * @throws IllegalArgumentException if the codec, container and B-frame settings do not go together, or the
     *         ball scene is asked for below {@link BallScene#MIN_HEIGHT}
     * @throws dev.reelflux.core.ReelfluxException (stage {@code "test-video"}) carrying the {@code av_strerror} text
     *         when FFmpeg refuses a step
     */
    public Path writeTo(Path file) {
        Objects.requireNonNull(file, "file");
        validate();
        ClipWriter.write(this, file);
        return file;
    }

    /**
     * The clip as bytes, written through a temporary file that is deleted afterwards.
     *
     * @throws IllegalArgumentException as for {@link #writeTo(Path)}
     * @throws UncheckedIOException if the temporary file cannot be made or read
     */
    public byte[] toBytes() {
        validate();
        if (!container.oneFile()) {
            throw new IllegalStateException(container + " is several files: write it with writeTo(playlist)");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("reelflux-test-video-", container.extension());
            return Files.readAllBytes(writeTo(tmp));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Display indices of the keyframes this spec asks for: {@code 0, gop, 2*gop, ...} below {@link #frames()}. The
     * writer forces exactly these, and the tests check each encoder adds none.
     */
    public List<Integer> expectedKeyframes() {
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < frames; i += gop) {
            keys.add(i);
        }
        return Collections.unmodifiableList(keys);
    }

    /** The codec. */
    public Codec codec() {
        return codec;
    }

    /** The container. */
    public Container container() {
        return container;
    }

    /** Picture width in pixels. */
    public int width() {
        return width;
    }

    /** Picture height in pixels. */
    public int height() {
        return height;
    }

    /** Frames per second. */
    public int fps() {
        return fps;
    }

    /** Number of frames. */
    public int frames() {
        return frames;
    }

    /** Keyframe interval in frames. */
    public int gop() {
        return gop;
    }

    /** Maximum number of consecutive B-frames (0: none). */
    public int bFrames() {
        return bFrames;
    }

    /**
     * Target bitrate in bits per second: the {@link #optBitrate(long)} value, or else the larger of 1 Mb/s and
     * 0.15 bits per pixel per frame (about 7.8 Mb/s at 1080p25).
     */
    public long bitrate() {
        return bitrate > 0 ? bitrate : Math.max(MIN_DEFAULT_BITRATE,
                Math.round(DEFAULT_BITS_PER_PIXEL * width * height * fps));
    }

    /** The scene. */
    public Scene scene() {
        return scene;
    }

    /** Grain amplitude in luma levels (0: none). */
    public int grain() {
        return grain;
    }

    public boolean closedGops() {
        return closedGops;
    }

    public boolean dependencyMarks() {
        return dependencyMarks;
    }

    /** Whether every frame carries its {@link FrameStamp}. */
    public boolean stamped() {
        return stamp;
    }

    @Override
    public String toString() {
        return codec + "/" + container + " " + width + "x" + height + "@" + fps + " " + frames + " frames, gop " + gop
                + ", b " + bFrames + ", " + bitrate() + " b/s, " + scene + (grain > 0 ? ", grain " + grain : "")
                + (stamp ? "" : ", unstamped") + (closedGops ? ", closed GOPs" : "")
                + (dependencyMarks ? ", dependency marks" : "");
    }

    private void validate() {
        if (!container.supports(codec)) {
            throw new IllegalArgumentException(container + " cannot carry " + codec);
        }
        if (bFrames > 0 && !codec.supportsBFrames()) {
            throw new IllegalArgumentException(codec + " (" + codec.encoderName() + ") has no B-frames");
        }
        if (dependencyMarks && codec != Codec.MPEG4) {
            throw new IllegalArgumentException("only MPEG-4 B-frames are known to be referred to by no frame");
        }
        if (scene == Scene.BALL && height < BallScene.MIN_HEIGHT) {
            throw new IllegalArgumentException("the ball scene needs a height of at least " + BallScene.MIN_HEIGHT);
        }
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " out of " + min + ".." + max + ": " + value);
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // The bytes are already read (or the write already failed); a stray temp file is not worth an error.
        }
    }
}
