package dev.reelflux.decoders.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What an MP4 track's sample tables say of each sample that FFmpeg's index leaves out: its composition offset
 * ({@code ctts}: display time minus decode time, non-zero with B-frames) and whether any other sample depends on it
 * ({@code sdtp}). Parsed from the {@code moov} body, with each sample's size ({@code stsz}) to check that the tables
 * and FFmpeg's index describe the same samples in the same order.
 */
final class SampleTable {

    /** {@code sdtp}'s sample_is_depended_on value for "no other sample refers to this one". */
    private static final int NOT_DEPENDED_ON = 2;

    private final int[] sizes;
    private final int[] compositionOffsets;
    private final byte[] dependencies;

    private SampleTable(int[] sizes, int[] compositionOffsets, byte[] dependencies) {
        this.sizes = sizes;
        this.compositionOffsets = compositionOffsets;
        this.dependencies = dependencies;
    }

    /**
     * The table of the track whose {@code tkhd} has {@code trackId}, or null when there is not exactly one such track,
     * or its tables do not add up: counts that disagree with each other or with the {@code samples} expected, a box
     * cut short.
     */
    static SampleTable parse(ByteBuffer moovBody, int trackId, int samples) {
        try {
            ByteBuffer found = null;
            for (ByteBuffer trak : children(moovBody).getOrDefault("trak", new ByteBuffer[0])) {
                Map<String, ByteBuffer[]> boxes = children(trak);
                if (boxes.containsKey("tkhd") && trackId(only(boxes, "tkhd")) == trackId) {
                    if (found != null) {
                        return null;
                    }
                    found = trak;
                }
            }
            ByteBuffer stbl = found == null ? null : path(found, "mdia", "minf", "stbl");
            return stbl == null ? null : of(children(stbl), samples);
        } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static SampleTable of(Map<String, ByteBuffer[]> stbl, int samples) {
        if (!stbl.containsKey("stsz")) {
            return null;
        }
        int[] sizes = sizes(only(stbl, "stsz"), samples);
        if (sizes == null) {
            return null;
        }
        int[] offsets = new int[sizes.length];
        if (stbl.containsKey("ctts") && !compositionOffsets(only(stbl, "ctts"), offsets)) {
            return null;
        }
        byte[] dependencies = null;
        if (stbl.containsKey("sdtp")) {
            ByteBuffer sdtp = only(stbl, "sdtp");
            sdtp.position(sdtp.position() + 4);
            if (sdtp.remaining() != sizes.length) {
                return null;
            }
            dependencies = new byte[sizes.length];
            sdtp.get(dependencies);
        }
        return new SampleTable(sizes, offsets, dependencies);
    }

    int samples() {
        return sizes.length;
    }

    int size(int sample) {
        return sizes[sample];
    }

    /** Display time minus decode time of {@code sample}, in the track's time base (up to one shift for all). */
    int compositionOffset(int sample) {
        return compositionOffsets[sample];
    }

    /** Whether the track says which samples no other sample refers to. */
    boolean marksDisposable() {
        return dependencies != null;
    }

    /** Whether the track says no other sample refers to {@code sample}. */
    boolean disposable(int sample) {
        return dependencies != null && ((dependencies[sample] >> 2) & 3) == NOT_DEPENDED_ON;
    }

    private static int trackId(ByteBuffer tkhd) {
        int version = tkhd.get(tkhd.position()) & 0xFF;
        // version and flags, then creation and modification times (32 or 64 bits each)
        return tkhd.getInt(tkhd.position() + 4 + (version == 1 ? 16 : 8));
    }

    /** The sample sizes, or null when the table does not hold {@code expected} samples. */
    private static int[] sizes(ByteBuffer stsz, int expected) {
        stsz.position(stsz.position() + 4);
        int common = stsz.getInt();
        int count = count(stsz.getInt(), common == 0 ? 4 : 0, stsz);
        // Checked before anything is allocated: with one size for all, the box itself bounds no count.
        if (count != expected) {
            return null;
        }
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++) {
            sizes[i] = common != 0 ? common : stsz.getInt();
        }
        return sizes;
    }

    /** Fills {@code offsets} from run-length {@code ctts} entries; false when they do not cover every sample. */
    private static boolean compositionOffsets(ByteBuffer ctts, int[] offsets) {
        ctts.position(ctts.position() + 4);
        int entries = count(ctts.getInt(), 8, ctts);
        int sample = 0;
        for (int i = 0; i < entries; i++) {
            long run = ctts.getInt() & 0xFFFFFFFFL;
            // Version 0 declares offsets unsigned, yet writers put negative ones there too; FFmpeg reads both signed.
            int offset = ctts.getInt();
            if (run > offsets.length - sample) {
                return false;
            }
            for (int j = 0; j < run; j++) {
                offsets[sample++] = offset;
            }
        }
        return sample == offsets.length;
    }

    /** A count read from the file, checked against the bytes left for its entries of {@code entryBytes} each. */
    private static int count(int declared, int entryBytes, ByteBuffer rest) {
        if (declared < 0 || (long) declared * entryBytes > rest.remaining()) {
            throw new IllegalArgumentException("a table declares more entries than its box holds");
        }
        return declared;
    }

    private static ByteBuffer path(ByteBuffer box, String... types) {
        ByteBuffer at = box;
        for (String type : types) {
            Map<String, ByteBuffer[]> boxes = children(at);
            if (!boxes.containsKey(type)) {
                return null;
            }
            at = only(boxes, type);
        }
        return at;
    }

    private static ByteBuffer only(Map<String, ByteBuffer[]> boxes, String type) {
        ByteBuffer[] found = boxes.get(type);
        if (found.length != 1) {
            throw new IllegalArgumentException(found.length + " " + type + " boxes where one belongs");
        }
        return found[0].duplicate();
    }

    /** The bodies of the boxes inside {@code body}, by type, in file order. */
    private static Map<String, ByteBuffer[]> children(ByteBuffer body) {
        Map<String, ByteBuffer[]> boxes = new HashMap<>();
        ByteBuffer rest = body.duplicate();
        while (rest.remaining() >= 8) {
            int start = rest.position();
            long size = rest.getInt() & 0xFFFFFFFFL;
            String type = new String(new byte[] {rest.get(), rest.get(), rest.get(), rest.get()},
                    StandardCharsets.ISO_8859_1);
            if (size == 1) {
                size = rest.getLong();
            } else if (size == 0) {
                size = rest.limit() - start;
            }
            int headerSize = rest.position() - start;
            if (size < headerSize || size > rest.limit() - start) {
                throw new IllegalArgumentException("box " + type + " of " + size + " bytes does not fit");
            }
            ByteBuffer child = rest.duplicate().position(start + headerSize).limit(start + (int) size).slice();
            boxes.merge(type, new ByteBuffer[] {child}, SampleTable::concat);
            rest.position(start + (int) size);
        }
        return boxes;
    }

    private static ByteBuffer[] concat(ByteBuffer[] a, ByteBuffer[] b) {
        ByteBuffer[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
