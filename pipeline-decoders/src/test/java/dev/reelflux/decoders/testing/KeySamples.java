package dev.reelflux.decoders.testing;

import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIndexEntry;
import org.bytedeco.ffmpeg.avformat.AVStream;

import java.nio.file.Path;

import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entries_count;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entry;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;

/** What an MP4's index says of its key-frame samples: the floor of what a key-frames-only read must fetch. */
public final class KeySamples {

    private KeySamples() {
    }

    /** Bytes of the key-frame samples of the first stream of {@code mp4}, as FFmpeg reads its index. */
    public static long bytes(Path mp4) {
        AVFormatContext format = new AVFormatContext(null);
        if (avformat_open_input(format, mp4.toString(), null, null) != 0) {
            throw new IllegalArgumentException("FFmpeg cannot open " + mp4);
        }
        try {
            AVStream stream = format.streams(0);
            long bytes = 0;
            for (int i = 0; i < avformat_index_get_entries_count(stream); i++) {
                AVIndexEntry entry = avformat_index_get_entry(stream, i);
                // AVINDEX_KEYFRAME
                if ((entry.flags() & 1) != 0) {
                    bytes += entry.size();
                }
            }
            return bytes;
        } finally {
            avformat_close_input(format);
        }
    }
}
