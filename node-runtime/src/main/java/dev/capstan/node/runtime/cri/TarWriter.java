package dev.capstan.node.runtime.cri;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a POSIX ustar archive: directories, regular files and symbolic links, all owned by root,
 * with a fixed modification time so that the same input gives the same bytes (and digests).
 * Not thread-safe.
 */
final class TarWriter {

    /** 2024-01-01T00:00:00Z: a fixed timestamp keeps image digests reproducible. */
    static final long MTIME = 1_704_067_200L;
    private static final int BLOCK = 512;

    private final OutputStream out;
    private boolean finished;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    void directory(String name, int mode) throws IOException {
        header(name.endsWith("/") ? name : name + "/", mode, 0, '5', "");
    }

    void file(String name, int mode, byte[] content) throws IOException {
        header(name, mode, content.length, '0', "");
        out.write(content);
        pad(content.length);
    }

    void symlink(String name, String target) throws IOException {
        header(name, 0777, 0, '2', target);
    }

    /** Writes the two empty blocks that end an archive. Does not close the stream. */
    void finish() throws IOException {
        if (!finished) {
            out.write(new byte[2 * BLOCK]);
            finished = true;
        }
    }

    private void header(String name, int mode, long size, char type, String linkName) throws IOException {
        byte[] h = new byte[BLOCK];
        String prefix = "";
        String shortName = name;
        if (utf8(name).length > 100) {
            int cut = name.lastIndexOf('/', name.length() - 2);
            while (cut > 0 && (utf8(name.substring(cut + 1)).length > 100 || utf8(name.substring(0, cut)).length > 155)) {
                cut = name.lastIndexOf('/', cut - 1);
            }
            if (cut <= 0) {
                throw new IOException("path too long for a tar archive: " + name);
            }
            prefix = name.substring(0, cut);
            shortName = name.substring(cut + 1);
        }
        if (utf8(linkName).length > 100) {
            throw new IOException("link target too long for a tar archive: " + linkName);
        }
        put(h, 0, 100, utf8(shortName));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, MTIME);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = (byte) type;
        put(h, 157, 100, utf8(linkName));
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(h, 265, 32, utf8("root"));
        put(h, 297, 32, utf8("root"));
        octal(h, 329, 8, 0);
        octal(h, 337, 8, 0);
        put(h, 345, 155, utf8(prefix));
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        byte[] chk = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(chk, 0, h, 148, 8);
        out.write(h);
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }

    /** Writes {@code value} as zero-padded octal digits followed by a NUL, filling {@code len} bytes. */
    private static void octal(byte[] h, int off, int len, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > len - 1) {
            throw new IllegalArgumentException("value too large for a tar header field: " + value);
        }
        String padded = "0".repeat(len - 1 - digits.length()) + digits;
        put(h, off, len, (padded + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    private static void put(byte[] h, int off, int len, byte[] value) {
        if (value.length > len) {
            throw new IllegalArgumentException("tar header field overflow");
        }
        System.arraycopy(value, 0, h, off, value.length);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
