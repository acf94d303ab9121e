package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.SeekNotSupportedException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopLevelBoxesTest {

    /** A box of {@code size} bytes: its header, then bytes counting up. */
    private static byte[] box(String type, int size) {
        ByteBuffer box = ByteBuffer.allocate(size).putInt(size).put(type.getBytes());
        while (box.hasRemaining()) {
            box.put((byte) box.position());
        }
        return box.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }

    @Test
    void walksBoxesAcrossChunksAndFindsTheOneAfterAJump() {
        byte[] moov = box("moov", 40);
        byte[] file = concat(box("ftyp", 24), box("mdat", 1000), moov);
        List<String> seen = new ArrayList<>();
        TopLevelBoxes boxes = new TopLevelBoxes((type, offset, size, header) -> seen.add(type + "@" + offset));
        MoovCapture capture = new MoovCapture();
        // The first 33 bytes in 3-byte chunks (the mdat header in three), then a jump over the media data to the
        // index, in 5-byte chunks.
        for (int offset = 0; offset < 33; offset += 3) {
            boxes.accept((long) offset, ByteBuffer.wrap(file, offset, 3));
            capture.accept((long) offset, ByteBuffer.wrap(file, offset, 3));
        }
        for (int offset = 1024; offset < file.length; offset += 5) {
            boxes.accept((long) offset, ByteBuffer.wrap(file, offset, 5 - Math.max(0, offset + 5 - file.length)));
            capture.accept((long) offset, ByteBuffer.wrap(file, offset, 5 - Math.max(0, offset + 5 - file.length)));
        }

        assertThat(seen).containsExactly("ftyp@0", "mdat@24", "moov@1024");
        assertThat(capture.take()).isEqualTo(ByteBuffer.wrap(moov, 8, 32));
        assertThat(capture.take()).as("given once").isNull();
    }

    @Test
    void aMoovNotSeenWholeIsNotGivenAndASizeOfNoBoxStopsTheWalk() {
        byte[] file = concat(box("ftyp", 24), box("moov", 40));
        MoovCapture capture = new MoovCapture();
        capture.accept(0L, ByteBuffer.wrap(file, 0, 50));
        assertThat(capture.take()).isNull();

        List<String> seen = new ArrayList<>();
        TopLevelBoxes boxes = new TopLevelBoxes((type, offset, size, header) -> seen.add(type));
        boxes.accept(0L, ByteBuffer.wrap(concat(box("free", 8), new byte[] {0, 0, 0, 4, 'b', 'a', 'd', '!'},
                box("moov", 8))));
        assertThat(seen).containsExactly("free");
    }

    @Test
    void aBoxToTheEndOfTheFileIsToldOfAndEndsTheWalk() {
        byte[] file = concat(box("ftyp", 16), new byte[] {0, 0, 0, 0, 'm', 'd', 'a', 't', 1, 2, 3}, box("moov", 8));
        List<String> seen = new ArrayList<>();
        new TopLevelBoxes((type, offset, size, header) -> seen.add(type + ":" + size)).accept(0L, ByteBuffer.wrap(file));
        assertThat(seen).containsExactly("ftyp:16", "mdat:0");

        // Media data to the end of the file comes before any moov: a source without ranges cannot play it.
        assertThatThrownBy(() -> new MoovAtEndDetector().accept(0L, ByteBuffer.wrap(file)))
                .isInstanceOf(SeekNotSupportedException.class);
    }
}
