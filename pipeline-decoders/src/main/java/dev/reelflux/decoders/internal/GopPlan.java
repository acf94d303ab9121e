package dev.reelflux.decoders.internal;

import dev.reelflux.core.ByteSpan;
import org.bytedeco.ffmpeg.avformat.AVIndexEntry;
import org.bytedeco.ffmpeg.avformat.AVStream;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;

import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entries_count;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entry;

/**
 * The samples of an MP4 video track that a frame selection needs, from the track's index. Without reordering (no
 * B-frames) a frame needs every sample of its GOP before it, and nothing after: so each GOP needs its key sample and
 * every sample up to the last one whose frame is wanted. The rest of the GOP is neither fetched nor demuxed: after the
 * {@linkplain #endsGop last needed sample} the session has the demuxer skip to the next key sample.
 *
 * <p>This relies on every key sample being a clean entry point, as an IDR frame is: a stream whose key samples let
 * later frames refer back past them (intra refresh, recovery points marked as sync samples) would decode differently.
 * An index in which one byte position appears twice (an edit list that plays media twice) gives no plan, since GOP
 * ends are known by position.
 */
final class GopPlan {

    /** {@code AVINDEX_KEYFRAME}, which the presets do not map. */
    private static final int AVINDEX_KEYFRAME = 0x0001;

    private static final GopPlan EMPTY = new GopPlan(List.of(), Set.of(), 0);

    private final List<ByteSpan> needed;
    private final Set<Long> gopEnds;
    private final long extent;

    private GopPlan(List<ByteSpan> needed, Set<Long> gopEnds, long extent) {
        this.needed = needed;
        this.gopEnds = gopEnds;
        this.extent = extent;
    }

    /**
     * The plan for {@code stream}'s index, for samples that lie within the first {@code size} bytes.
     *
     * @param wanted whether the frame of the sample with this decode timestamp is wanted; key samples are always
     *               needed (a demuxer skipping non-key samples still reads them)
     */
    static GopPlan of(AVStream stream, long size, LongPredicate wanted) {
        List<ByteSpan> needed = new ArrayList<>();
        Set<Long> gopEnds = new HashSet<>();
        List<ByteSpan> sinceLastNeeded = new ArrayList<>();
        Set<Long> positions = new HashSet<>();
        long lastNeeded = -1;
        long first = Long.MAX_VALUE;
        long end = 0;
        boolean keySeen = false;
        int entries = avformat_index_get_entries_count(stream);
        for (int i = 0; i < entries; i++) {
            AVIndexEntry entry = avformat_index_get_entry(stream, i);
            if (entry.pos() < 0 || entry.size() <= 0 || entry.pos() + entry.size() > size) {
                continue;
            }
            if (!positions.add(entry.pos())) {
                return EMPTY;
            }
            ByteSpan sample = new ByteSpan(entry.pos(), entry.size());
            first = Math.min(first, sample.offset());
            end = Math.max(end, sample.end());
            boolean key = (entry.flags() & AVINDEX_KEYFRAME) != 0;
            if (key) {
                if (lastNeeded >= 0) {
                    gopEnds.add(lastNeeded);
                }
                sinceLastNeeded.clear();
                keySeen = true;
            }
            // Before the first key sample nothing can be skipped: the demuxer only skips to a key sample.
            if (key || !keySeen || wanted.test(entry.timestamp())) {
                needed.addAll(sinceLastNeeded);
                sinceLastNeeded.clear();
                needed.add(sample);
                lastNeeded = sample.offset();
            } else {
                sinceLastNeeded.add(sample);
            }
        }
        if (lastNeeded >= 0) {
            gopEnds.add(lastNeeded);
        }
        return needed.isEmpty() ? EMPTY : new GopPlan(List.copyOf(needed), Set.copyOf(gopEnds), end - first);
    }

    /** The needed samples as a read plan, merging those {@code maxGap} bytes apart or less. */
    ReadPlan reads(long maxGap) {
        return ReadPlan.of(needed, maxGap);
    }

    /** Whether the sample at byte {@code pos} is the last its GOP needs: the demuxer may skip to the next key. */
    boolean endsGop(long pos) {
        return gopEnds.contains(pos);
    }

    /** Bytes from the first sample's start to the last one's end: what reading everything would fetch. */
    long extent() {
        return extent;
    }

    boolean isEmpty() {
        return needed.isEmpty();
    }
}
