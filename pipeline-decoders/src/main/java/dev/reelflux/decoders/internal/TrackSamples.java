package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.internal.GopPlan.Sample;
import org.bytedeco.ffmpeg.avformat.AVIndexEntry;
import org.bytedeco.ffmpeg.avformat.AVStream;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entries_count;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entry;

/**
 * The samples of an MP4 video track for a {@link GopPlan}: positions, sizes, key flags and decode times from FFmpeg's
 * index, display times and dependencies from the track's {@link SampleTable}.
 */
final class TrackSamples {

    /** {@code AVINDEX_KEYFRAME} and {@code AVINDEX_DISCARD_FRAME}, which the presets do not map. */
    private static final int KEYFRAME = 0x0001;
    private static final int DISCARD_FRAME = 0x0002;

    private TrackSamples() {
    }

    /**
     * The samples of {@code stream}, or an empty list when they cannot be planned: the index and the table disagree
     * (an edit list that repeats or drops samples), samples are empty or overlap, or one lies past {@code size}.
     */
    static List<Sample> of(AVStream stream, SampleTable table, long size) {
        // The table was parsed for as many samples as the index has.
        int entries = avformat_index_get_entries_count(stream);
        if (table == null) {
            return List.of();
        }
        // MPEG-4 Part 2 has no B-frame that others refer to: a sample shown before one decoded earlier is disposable.
        boolean bFramesDisposable = !table.marksDisposable() && stream.codecpar().codec_id() == AV_CODEC_ID_MPEG4;
        List<Sample> samples = new ArrayList<>(entries);
        long latestShown = Long.MIN_VALUE;
        AVIndexEntry entry = index(stream);
        for (int i = 0; i < entries; i++) {
            entry.position(i);
            if (entry.pos() < 0 || entry.size() <= 0 || entry.size() != table.size(i)
                    || entry.pos() + entry.size() > size) {
                return List.of();
            }
            long pts = entry.timestamp() + table.compositionOffset(i);
            boolean disposable = table.disposable(i) || (bFramesDisposable && pts < latestShown);
            latestShown = Math.max(latestShown, pts);
            samples.add(new Sample(entry.pos(), entry.size(), (entry.flags() & KEYFRAME) != 0, pts,
                    (entry.flags() & DISCARD_FRAME) == 0, disposable));
        }
        List<Sample> byPosition = new ArrayList<>(samples);
        byPosition.sort(Comparator.comparingLong(Sample::pos));
        for (int i = 1; i < byPosition.size(); i++) {
            Sample before = byPosition.get(i - 1);
            if (before.pos() + before.size() > byPosition.get(i).pos()) {
                return List.of();
            }
        }
        return samples;
    }

    /**
     * A view of {@code stream}'s index at its first entry, {@code null} when it has none, to move along with
     * {@code position(i)}: the index is an array ({@code avformat_index_get_entry} is {@code &index_entries[i]}), and a
     * long clip's has tens of thousands of entries, too many to make an object each. Valid until the demuxer next
     * runs.
     */
    static AVIndexEntry index(AVStream stream) {
        return avformat_index_get_entries_count(stream) > 0 ? avformat_index_get_entry(stream, 0) : null;
    }
}
