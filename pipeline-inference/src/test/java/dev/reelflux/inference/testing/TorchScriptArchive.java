package dev.reelflux.inference.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript module file (what {@code torch.jit.save} produces) for a module that has no tensors: its
 * weights, if any, are built inside {@code forward} from torch ops, so the archive needs no tensor storages.
 *
 * <p>The layout libtorch's {@code PyTorchStreamReader} expects: a zip of STORED entries under one top-level folder,
 * holding {@code data.pkl} (a protocol-2 pickle of the module object: its class and its attributes),
 * {@code code/__torch__.py} (the TorchScript source of that class), {@code constants.pkl} (an empty tuple),
 * {@code version} and {@code byteorder}.
 */
final class TorchScriptArchive {

    /**
     * The serialization format version. 3 is the oldest that libtorch 2.x still loads without running operator
     * upgraders that matter here: those only rewrite integer division, and these modules divide floats.
     */
    private static final String FORMAT_VERSION = "3\n";

    private TorchScriptArchive() {
    }

    /**
     * Writes {@code file} holding a module of class {@code __torch__.<className>} whose TorchScript source is
     * {@code classSource} (a {@code class <className>(Module):} block declaring {@code training : bool}).
     */
    static void write(Path file, String className, String classSource) throws IOException {
        String root = className.toLowerCase(java.util.Locale.ROOT) + "/";
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, root + "data.pkl", modulePickle(className));
            put(zip, root + "code/__torch__.py", classSource.getBytes(StandardCharsets.UTF_8));
            put(zip, root + "constants.pkl", emptyTuplePickle());
            put(zip, root + "version", FORMAT_VERSION.getBytes(StandardCharsets.US_ASCII));
            put(zip, root + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    /** {@code __torch__.<className>} built from the state {@code {"training": False}}. */
    private static byte[] modulePickle(String className) {
        Pickle p = new Pickle();
        p.global("__torch__", className).emptyTuple().newObj();
        p.emptyDict().mark().string("training").bool(false).setItems();
        p.build();
        return p.stop();
    }

    private static byte[] emptyTuplePickle() {
        return new Pickle().emptyTuple().stop();
    }

    /** The handful of protocol-2 pickle opcodes these files need. */
    private static final class Pickle {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Pickle() {
            bytes.write(0x80); // PROTO
            bytes.write(2);
        }

        Pickle global(String module, String name) {
            bytes.write('c');
            writeAscii(module + "\n" + name + "\n");
            return this;
        }

        Pickle emptyTuple() {
            bytes.write(')');
            return this;
        }

        Pickle newObj() {
            bytes.write(0x81);
            return this;
        }

        Pickle emptyDict() {
            bytes.write('}');
            return this;
        }

        Pickle mark() {
            bytes.write('(');
            return this;
        }

        Pickle string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            bytes.write('X'); // BINUNICODE, 4-byte little-endian length
            for (int shift = 0; shift < 32; shift += 8) {
                bytes.write(utf8.length >>> shift);
            }
            bytes.writeBytes(utf8);
            return this;
        }

        Pickle bool(boolean value) {
            bytes.write(value ? 0x88 : 0x89);
            return this;
        }

        Pickle setItems() {
            bytes.write('u');
            return this;
        }

        Pickle build() {
            bytes.write('b');
            return this;
        }

        byte[] stop() {
            bytes.write('.');
            return bytes.toByteArray();
        }

        private void writeAscii(String s) {
            bytes.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
