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
 */
final class GopPlan {

    /** {@code AVINDEX_KEYFRAME}, which the presets do not map. */
    private static final int AVINDEX_KEYFRAME = 0x0001;

    private final List<ByteSpan> needed;
    private final Set<Long> gopEnds;
    private final long sampleBytes;

    private GopPlan(List<ByteSpan> needed, Set<Long> gopEnds, long sampleBytes) {
        this.needed = needed;
        this.gopEnds = gopEnds;
        this.sampleBytes = sampleBytes;
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
        long lastNeeded = -1;
        long sampleBytes = 0;
        boolean keySeen = false;
        int entries = avformat_index_get_entries_count(stream);
        for (int i = 0; i < entries; i++) {
            AVIndexEntry entry = avformat_index_get_entry(stream, i);
            if (entry.pos() < 0 || entry.size() <= 0 || entry.pos() + entry.size() > size) {
                continue;
            }
            ByteSpan sample = new ByteSpan(entry.pos(), entry.size());
            sampleBytes += sample.length();
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
        return new GopPlan(List.copyOf(needed), Set.copyOf(gopEnds), sampleBytes);
    }

    /** The needed samples as a read plan, merging those {@code maxGap} bytes apart or less. */
    ReadPlan reads(long maxGap) {
        return ReadPlan.of(needed, maxGap);
    }

    /** Whether the sample at byte {@code pos} is the last its GOP needs: the demuxer may skip to the next key. */
    boolean endsGop(long pos) {
        return gopEnds.contains(pos);
    }

    /** Bytes of every sample in the index (within the source). */
    long sampleBytes() {
        return sampleBytes;
    }

    boolean isEmpty() {
        return needed.isEmpty();
    }
}
