package dev.reelflux.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentTest {

    @Test
    void syntheticBytesDependOnlyOnSizeSeedAndPosition() {
        byte[] whole = Content.synthetic(1000, 9).bytes(0, 1000);

        assertThat(Content.synthetic(1000, 9).bytes(0, 1000)).isEqualTo(whole);
        assertThat(Content.synthetic(5000, 9).bytes(0, 1000)).isEqualTo(whole);
        assertThat(Content.synthetic(1000, 10).bytes(0, 1000)).isNotEqualTo(whole);
        for (int offset : new int[] {0, 1, 7, 8, 13, 500}) {
            for (int length : new int[] {0, 1, 3, 8, 9, 17, 400}) {
                assertThat(Content.synthetic(1000, 9).bytes(offset, length))
                        .as("offset %d, length %d", offset, length)
                        .isEqualTo(Arrays.copyOfRange(whole, offset, offset + length));
            }
        }
    }

    @Test
    void syntheticBytesLookRandom() {
        byte[] bytes = Content.synthetic(1 << 16).bytes(0, 1 << 16);
        int[] counts = new int[256];
        for (byte b : bytes) {
            counts[b & 0xFF]++;
        }

        // 256 expected per value; a constant or repeating pattern would leave most values at 0.
        assertThat(Arrays.stream(counts).min().getAsInt()).isGreaterThan(150);
        assertThat(Arrays.stream(counts).max().getAsInt()).isLessThan(400);
    }

    @Test
    void readFillsDirectBuffersAndLeavesTheirOrderAlone() {
        Content content = Content.synthetic(100, 4);
        ByteBuffer direct = ByteBuffer.allocateDirect(20).order(ByteOrder.BIG_ENDIAN);
        direct.position(5).limit(15);

        content.read(33, direct);

        assertThat(direct.position()).isEqualTo(15);
        assertThat(direct.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        byte[] written = new byte[10];
        direct.position(5);
        direct.get(written);
        assertThat(written).isEqualTo(content.bytes(33, 10));
    }

    @Test
    void sha256IsTheDigestOfTheBytes() throws Exception {
        Content content = Content.synthetic(200_001, 1);

        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(content.bytes(0, 200_001)));

        assertThat(content.sha256()).isEqualTo(expected).isEqualTo(content.sha256());
        assertThat(Content.of(new byte[0]).sha256())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void arrayContentIsACopy() {
        byte[] bytes = {1, 2, 3};
        Content content = Content.of(bytes);
        bytes[0] = 9;

        assertThat(content.size()).isEqualTo(3);
        assertThat(content.bytes(0, 3)).containsExactly(1, 2, 3);
    }

    @Test
    void fileContentReadsRangesOfTheFile(@TempDir Path dir) throws Exception {
        byte[] bytes = Content.synthetic(10_000, 2).bytes(0, 10_000);
        Path file = Files.write(dir.resolve("clip.bin"), bytes);
        Content content = Content.of(file);

        assertThat(content.size()).isEqualTo(10_000);
        assertThat(content.bytes(1234, 5000)).isEqualTo(Arrays.copyOfRange(bytes, 1234, 6234));
        assertThat(content.sha256()).isEqualTo(Content.of(bytes).sha256());
        assertThatThrownBy(() -> Content.of(dir.resolve("missing"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Content.of(dir)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsOutsideTheContentAreRejected() {
        Content content = Content.synthetic(100);

        assertThatThrownBy(() -> content.bytes(90, 11)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> content.bytes(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Content.synthetic(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(content.bytes(100, 0)).isEmpty();
    }

    @Test
    void describesItself() {
        assertThat(Content.synthetic(5, 3)).hasToString("synthetic(5, seed 3)");
        assertThat(Content.of(new byte[2])).hasToString("bytes(2)");
    }
}
