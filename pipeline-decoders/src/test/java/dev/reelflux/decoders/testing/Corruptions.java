package dev.reelflux.decoders.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** Damage done to a clip's bytes on purpose, as a broken upload or a faulty disk would do it; all reproducible. */
public final class Corruptions {

    private Corruptions() {
    }

    /** Overwrites the first occurrence of {@code from} with {@code to} (same length), as a codec or tag swap. */
    public static void replaceAscii(byte[] data, String from, String to) {
        byte[] needle = from.getBytes(StandardCharsets.US_ASCII);
        byte[] replacement = to.getBytes(StandardCharsets.US_ASCII);
        if (replacement.length != needle.length) {
            throw new IllegalArgumentException("replacement must be as long as what it replaces");
        }
        for (int i = 0; i + needle.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + needle.length, needle, 0, needle.length)) {
                System.arraycopy(replacement, 0, data, i, needle.length);
                return;
            }
        }
        throw new AssertionError(from + " not found");
    }

    /** One random kind of damage, drawn from {@code random}: what a fuzz run does to each of its clips. */
    public static byte[] mutate(byte[] clip, Random random) {
        byte[] data = clip.clone();
        int at = random.nextInt(data.length);
        return switch (random.nextInt(6)) {
            case 0 -> flipBits(data, random, 1 + random.nextInt(64));
            case 1 -> Arrays.copyOf(data, at);
            case 2 -> insertRun(data, at, random, 1 + random.nextInt(4096));
            case 3 -> deleteRun(data, at, 1 + random.nextInt(4096));
            case 4 -> flipBits(Arrays.copyOf(data, data.length), new Random(random.nextLong()), 256);
            default -> overwriteRun(data, Math.min(at, 512), random, 1 + random.nextInt(64));
        };
    }

    private static byte[] flipBits(byte[] data, Random random, int count) {
        for (int i = 0; i < count; i++) {
            data[random.nextInt(data.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return data;
    }

    private static byte[] insertRun(byte[] data, int at, Random random, int length) {
        byte[] run = new byte[length];
        random.nextBytes(run);
        byte[] out = new byte[data.length + length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(run, 0, out, at, length);
        System.arraycopy(data, at, out, at + length, data.length - at);
        return out;
    }

    private static byte[] deleteRun(byte[] data, int at, int length) {
        int end = Math.min(data.length, at + length);
        byte[] out = new byte[data.length - (end - at)];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(data, end, out, at, data.length - end);
        return out;
    }

    /** Random bytes over {@code [at, at + length)}: with {@code at} near the start, header damage. */
    private static byte[] overwriteRun(byte[] data, int at, Random random, int length) {
        for (int i = at; i < Math.min(data.length, at + length); i++) {
            data[i] = (byte) random.nextInt();
        }
        return data;
    }
}
