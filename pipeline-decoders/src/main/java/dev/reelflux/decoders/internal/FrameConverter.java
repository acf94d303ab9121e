package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.DecodeException;
import dev.reelflux.decoders.FrameAllocator;
import dev.reelflux.decoders.FrameFormat;
import dev.reelflux.decoders.Letterbox;
import dev.reelflux.decoders.Plane;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GBRPF32LE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy_to_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_image_fill_arrays;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_FULL_CHR_H_INT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

/**
 * Writes a decoded picture into memory from the {@link FrameAllocator}, in the requested {@link FrameFormat}: a tight
 * copy of the planes for source, one {@code sws_scale} straight into the destination for the scaled layouts; for
 * decoded, no memory of the allocator at all, but a new reference to the picture's own buffers.
 *
 * <p>Planar float goes through {@code AV_PIX_FMT_GBRPF32LE} with the three destination plane pointers aimed at the
 * R, G and B planes of one CHW buffer, so the scaler writes the model input itself (FACTS: 0.9 ms per 1080p frame,
 * half the cost of RGB24 plus a Java loop). Letterbox padding is written around the picture on every frame, since
 * borrowed memory (a batch slab slot) holds whatever the previous frame left.
 *
 * <p>Owns the scaler context and its pointer arrays; used on the decode thread only.
 */
final class FrameConverter implements AutoCloseable {

    /**
     * Bilinear, with chroma interpolated at full horizontal resolution: without it the packed RGB outputs take the
     * nearest chroma sample and sharp colour edges differ by up to half the range from the planar float output.
     */
    private static final int SCALE_FLAGS = SWS_BILINEAR | SWS_FULL_CHR_H_INT;
    /** Decoded pictures are in the limited (TV) range unless they say otherwise; model inputs want full range. */
    private static final int FULL_RANGE = 1;

    private final FrameFormat format;
    private final FrameAllocator allocator;
    private final PointerPointer<BytePointer> planes = new PointerPointer<>(4);
    private final IntPointer linesizes = new IntPointer(4);
    private SwsContext scaler;
    private long scalerKey;
    private ByteBuffer padRow;
    private List<Plane> sourcePlanes;
    private long sourcePlanesKey;
    /**
     * The last shared picture's layout and letterbox, and its pixel format, width, height and four linesizes, to
     * compare the next with.
     */
    private List<Plane> sharedPlanes;
    private Letterbox sharedBox;
    private final int[] sharedShape = new int[7];

    FrameConverter(FrameFormat format, FrameAllocator allocator) {
        this.format = format;
        this.allocator = allocator;
    }

    /** The layout of the converted pixels. */
    FrameFormat format() {
        return format;
    }

    /**
     * Allocates a region and writes {@code picture} into it. On failure the region is closed before the exception
     * leaves.
     */
    Converted convert(AVFrame picture) {
        if (format.layout() == FrameFormat.Layout.DECODED) {
            List<Plane> layout = sharedLayout(picture);
            return new Converted(SharedPicture.of(picture, layout), sharedBox, layout);
        }
        int width = picture.width();
        int height = picture.height();
        Letterbox box = format.layout() == FrameFormat.Layout.SOURCE ? Letterbox.identity(width, height)
                : Letterbox.fit(format, width, height);
        int bytes = format.layout() == FrameFormat.Layout.SOURCE
                ? av_image_get_buffer_size(picture.format(), width, height, 1) : format.byteSize();
        if (bytes < 0) {
            throw DecodeErrors.failed("scale", "sizing a frame of pixel format " + picture.format(), bytes);
        }
        FrameAllocator.Region region = allocator.allocate(format, bytes);
        try {
            ByteBuffer target = region.buffer();
            if (!target.isDirect() || target.remaining() < bytes) {
                throw new IllegalStateException("the frame allocator must give a direct buffer of " + bytes
                        + " bytes, gave " + target);
            }
            List<Plane> layout = format.layout() == FrameFormat.Layout.SOURCE
                    ? copy(picture, target, bytes) : scale(picture, target, box);
            return new Converted(region, box, layout);
        } catch (RuntimeException | Error e) {
            region.close();
            throw e;
        }
    }

    /** A written region and where its planes lie. */
    record Converted(FrameAllocator.Region region, Letterbox letterbox, List<Plane> planes) {
    }

    private List<Plane> copy(AVFrame picture, ByteBuffer target, int bytes) {
        BytePointer base = new BytePointer(target);
        int ret = av_image_copy_to_buffer(base, bytes, picture.data(), picture.linesize(), picture.format(),
                picture.width(), picture.height(), 1);
        if (ret < 0) {
            throw DecodeErrors.failed("scale", "copying the decoded planes", ret);
        }
        long key = ((long) picture.format() << 40) ^ ((long) picture.width() << 20) ^ picture.height();
        if (sourcePlanes == null || key != sourcePlanesKey) {
            sourcePlanes = tightPlanes(base, picture.format(), picture.width(), picture.height(), bytes);
            sourcePlanesKey = key;
        }
        return sourcePlanes;
    }

    /**
     * The layout of a picture to share: the last one's, while pictures come from the same frame pool. Its letterbox
     * goes to {@link #sharedBox}.
     */
    private List<Plane> sharedLayout(AVFrame picture) {
        boolean same = sharedPlanes != null && sharedShape[0] == picture.format()
                && sharedShape[1] == picture.width() && sharedShape[2] == picture.height();
        for (int i = 0; same && i < 4; i++) {
            same = sharedShape[3 + i] == picture.linesize(i);
        }
        if (!same) {
            sharedPlanes = SharedPicture.layout(picture);
            sharedBox = Letterbox.identity(picture.width(), picture.height());
            sharedShape[0] = picture.format();
            sharedShape[1] = picture.width();
            sharedShape[2] = picture.height();
            for (int i = 0; i < 4; i++) {
                sharedShape[3 + i] = picture.linesize(i);
            }
        }
        return sharedPlanes;
    }

    /** Where {@code av_image_copy_to_buffer} with alignment 1 put each plane of a buffer at {@code base}. */
    private List<Plane> tightPlanes(BytePointer base, int pixelFormat, int width, int height, int bytes) {
        av_image_fill_arrays(planes, linesizes, base, pixelFormat, width, height, 1);
        List<Plane> result = new ArrayList<>(4);
        for (int i = 0; i < 4 && linesizes.get(i) > 0; i++) {
            int offset = (int) (planes.get(i).address() - base.address());
            int end = i + 1 < 4 && linesizes.get(i + 1) > 0
                    ? (int) (planes.get(i + 1).address() - base.address()) : bytes;
            result.add(new Plane(offset, linesizes.get(i), (end - offset) / linesizes.get(i)));
        }
        return List.copyOf(result);
    }

    private List<Plane> scale(AVFrame picture, ByteBuffer target, Letterbox box) {
        int width = format.width();
        int height = format.height();
        int sample = format.bytesPerSample();
        List<Plane> layout = scaledPlanes(width, height, sample);
        if (format.letterbox()) {
            pad(target, layout, box, sample);
        }
        prepareScaler(picture, box);
        // GBRPF32 plane order is G, B, R; aim each at its plane of the R, G, B buffer.
        int[] order = format.layout() == FrameFormat.Layout.PLANAR_FLOAT ? new int[] {1, 2, 0} : new int[] {0};
        int pictureOffset = (box.padTop() * width + box.padLeft()) * (format.planeCount() == 1 ? 3 * sample : sample);
        for (int i = 0; i < order.length; i++) {
            Plane plane = layout.get(order[i]);
            int start = plane.offset() + pictureOffset;
            planes.put(i, new BytePointer(target.slice(start, plane.byteSize() - pictureOffset)));
            linesizes.put(i, plane.linesize());
        }
        int ret = sws_scale(scaler, picture.data(), picture.linesize(), 0, picture.height(), planes, linesizes);
        if (ret <= 0) {
            throw DecodeErrors.failed("scale", "scaling (sws_scale wrote no rows)", ret);
        }
        return layout;
    }

    private static List<Plane> scaledPlanes(int width, int height, int sample) {
        if (sample == 1) {
            return List.of(new Plane(0, width * 3, height));
        }
        int planeBytes = width * height * sample;
        return List.of(new Plane(0, width * sample, height), new Plane(planeBytes, width * sample, height),
                new Plane(2 * planeBytes, width * sample, height));
    }

    /** Builds (or keeps) the scaler for this picture's size, format and colours. */
    private void prepareScaler(AVFrame picture, Letterbox box) {
        long key = ((long) picture.format() << 48) ^ ((long) picture.width() << 32) ^ ((long) picture.height() << 16)
                ^ ((long) picture.colorspace() << 8) ^ picture.color_range();
        if (scaler != null && key == scalerKey) {
            return;
        }
        int target = switch (format.layout()) {
            case RGB24 -> AV_PIX_FMT_RGB24;
            case BGR24 -> AV_PIX_FMT_BGR24;
            default -> AV_PIX_FMT_GBRPF32LE;
        };
        scaler = sws_getCachedContext(scaler, picture.width(), picture.height(), picture.format(),
                box.contentWidth(), box.contentHeight(), target, SCALE_FLAGS, null, null, (DoublePointer) null);
        if (scaler == null || scaler.isNull()) {
            throw new DecodeException("scale", "no scaler from pixel format " + picture.format() + " "
                    + picture.width() + "x" + picture.height() + " to " + format, 0, null, null);
        }
        // Without this the scaler assumes BT.601 limited range, which shifts the colours of HD (BT.709) video.
        IntPointer coefficients = sws_getCoefficients(picture.colorspace());
        int sourceRange = picture.color_range() == AVCOL_RANGE_JPEG ? 1 : 0;
        // Float output is 16-bit samples over 65535, and full-range white reaches 255 * 256 of them, so white came out
        // as 0.9962, not the 1.0 of v / 255 that models are trained on. A contrast of 257/256 lifts white to 65535;
        // the scaler clips past it.
        int contrast = format.layout() == FrameFormat.Layout.PLANAR_FLOAT ? (1 << 16) * 257 / 256 : 1 << 16;
        sws_setColorspaceDetails(scaler, coefficients, sourceRange, coefficients, FULL_RANGE, 0, contrast, 1 << 16);
        scalerKey = key;
    }

    /** Writes the pad value around the picture in every plane. */
    private void pad(ByteBuffer target, List<Plane> layout, Letterbox box, int sample) {
        int pixel = layout.size() == 1 ? 3 * sample : sample;
        ByteBuffer row = padRow(layout.get(0).linesize(), sample);
        int left = box.padLeft() * pixel;
        int right = (format.width() - box.padLeft() - box.contentWidth()) * pixel;
        int bottom = box.padTop() + box.contentHeight();
        for (Plane plane : layout) {
            int linesize = plane.linesize();
            for (int y = 0; y < format.height(); y++) {
                int rowStart = plane.offset() + y * linesize;
                if (y < box.padTop() || y >= bottom) {
                    target.put(rowStart, row, 0, linesize);
                } else {
                    target.put(rowStart, row, 0, left);
                    target.put(rowStart + linesize - right, row, 0, right);
                }
            }
        }
    }

    private ByteBuffer padRow(int linesize, int sample) {
        if (padRow == null) {
            padRow = ByteBuffer.allocate(linesize).order(java.nio.ByteOrder.nativeOrder());
            for (int i = 0; i < linesize; i += sample) {
                if (sample == 4) {
                    padRow.putFloat(i, format.padValue() / 255f);
                } else {
                    padRow.put(i, (byte) format.padValue());
                }
            }
        }
        return padRow;
    }

    @Override
    public void close() {
        sws_freeContext(scaler);
        scaler = null;
        planes.close();
        linesizes.close();
    }
}
