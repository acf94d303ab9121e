package dev.reelflux.decoders.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists the top-level boxes of an ISO BMFF (MP4) file, without FFmpeg: enough to tell faststart ({@code moov} before
 * {@code mdat}) from moov-at-end, or to count the {@code moof} fragments of a fragmented file.
 */
public final class Mp4Boxes {

    /**
     * One top-level box.
     *
     * @param type   the four-character type, such as {@code "moov"}
     * @param offset where the box starts in the file
     * @param size   the whole box in bytes, header included
     */
    public record Box(String type, long offset, long size) {
    }

    private Mp4Boxes() {
    }

    /**
     * The top-level boxes of {@code file}, in file order.
     *
     * @throws IllegalArgumentException if a box header is malformed or runs past the end of the file
     * @throws UncheckedIOException if the file cannot be read
     */
    public static List<Box> topLevel(Path file) {
        try (FileChannel ch = FileChannel.open(file)) {
            List<Box> boxes = new ArrayList<>();
            long fileSize = ch.size();
            ByteBuffer header = ByteBuffer.allocate(16);
            long offset = 0;
            while (offset + 8 <= fileSize) {
                header.clear().limit(16);
                ch.read(header, offset);
                long size = header.getInt(0) & 0xFFFFFFFFL;
                String type = new String(header.array(), 4, 4, StandardCharsets.ISO_8859_1);
                if (size == 1) {
                    size = header.getLong(8); // 64-bit "largesize" follows the type
                } else if (size == 0) {
                    size = fileSize - offset; // the box runs to the end of the file
                }
                if (size < 8 || offset + size > fileSize) {
                    throw new IllegalArgumentException(file + ": bad box '" + type + "' of size " + size + " at "
                            + offset);
                }
                boxes.add(new Box(type, offset, size));
                offset += size;
            }
            return boxes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first top-level box of {@code type} in {@code boxes}. */
    public static Optional<Box> first(List<Box> boxes, String type) {
        return boxes.stream().filter(b -> b.type().equals(type)).findFirst();
    }
}
