package dev.capstan.node.runtime.cri;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Test helper: reads a ustar archive into name → entry, to check what {@link TarWriter} wrote. */
final class TarEntries {

    record Entry(String name, char type, int mode, byte[] content, String linkName) {
    }

    private TarEntries() {
    }

    static Map<String, Entry> read(byte[] tar) throws IOException {
        return read(new ByteArrayInputStream(tar));
    }

    static Map<String, Entry> readGzip(byte[] tgz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(tgz))) {
            return read(new ByteArrayInputStream(in.readAllBytes()));
        }
    }

    static Map<String, Entry> read(InputStream in) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        byte[] h = new byte[512];
        while (in.readNBytes(h, 0, 512) == 512) {
            if (allZero(h)) {
                break;
            }
            String name = str(h, 0, 100);
            String prefix = str(h, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            int mode = (int) octal(h, 100, 8);
            long size = octal(h, 124, 12);
            long checksum = octal(h, 148, 8);
            long sum = 0;
            for (int i = 0; i < 512; i++) {
                sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
            }
            if (sum != checksum) {
                throw new IOException("bad checksum for " + name);
            }
            byte[] content = in.readNBytes((int) size);
            long pad = (512 - size % 512) % 512;
            in.readNBytes((int) pad);
            entries.put(name, new Entry(name, (char) h[156], mode, content, str(h, 157, 100)));
        }
        return entries;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String str(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int off, int len) {
        String s = str(h, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }
}
