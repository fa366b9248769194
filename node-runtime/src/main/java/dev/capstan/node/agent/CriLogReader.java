package dev.capstan.node.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A container's CRI log files as the plain text the program wrote: each record
 * {@code <RFC3339Nano> stdout|stderr F|P <text>} loses its prefix, and {@code P} (partial) records are
 * joined with what follows up to the next {@code F}. Reads the rotated files (oldest first) then the
 * current one; with {@code tailLines} only the last lines of all that; with {@code follow} it then waits
 * for more (through rotations) until {@code running} says the container's attempt has ended and nothing
 * is left to read, or until it is closed.
 */
final class CriLogReader extends InputStream {
    private static final long POLL_MS = 200;
    private static final long RUNNING_CHECK_MS = 1000;

    private final List<Path> rotated;
    private final Path current;
    private final Integer tailLines;
    private boolean follow;
    private final BooleanSupplier running;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream(); // a P record waiting for its F
    private final ByteArrayOutputStream unfinished = new ByteArrayOutputStream(); // bytes after the last newline
    private byte[] pending = new byte[0];
    private int pos;
    private boolean initialDone;
    private boolean following; // past the initial read: tailLines no longer applies
    private FileChannel channel;
    private Object channelKey;
    private volatile boolean closed;

    CriLogReader(List<Path> rotated, Path current, Integer tailLines, boolean follow, BooleanSupplier running) {
        this.rotated = List.copyOf(rotated);
        this.current = current;
        this.tailLines = tailLines;
        this.follow = follow;
        this.running = running;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        while (pos >= pending.length) {
            if (closed || !fill()) {
                return -1;
            }
        }
        int n = Math.min(len, pending.length - pos);
        System.arraycopy(pending, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Loads the next piece of output; false at the end. */
    private boolean fill() throws IOException {
        if (!initialDone) {
            initialDone = true;
            Deque<byte[]> lines = new ArrayDeque<>();
            for (Path f : rotated) {
                decode(readAll(f), lines);
            }
            openCurrent();
            if (channel != null) {
                decode(drain(), lines);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            lines.forEach(out::writeBytes);
            set(out.toByteArray());
            return true;
        }
        if (!follow) {
            return false;
        }
        following = true;
        long lastCheck = System.nanoTime();
        while (!closed) {
            byte[] more = readMore();
            if (more.length > 0) {
                Deque<byte[]> lines = new ArrayDeque<>();
                decode(more, lines);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                lines.forEach(out::writeBytes);
                if (out.size() > 0) {
                    set(out.toByteArray());
                    return true;
                }
            }
            if (System.nanoTime() - lastCheck > RUNNING_CHECK_MS * 1_000_000L) {
                lastCheck = System.nanoTime();
                if (!running.getAsBoolean()) {
                    byte[] last = readMore();
                    Deque<byte[]> lines = new ArrayDeque<>();
                    decode(last, lines);
                    follow = false;
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    lines.forEach(out::writeBytes);
                    set(out.toByteArray());
                    return out.size() > 0;
                }
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void set(byte[] bytes) {
        pending = bytes;
        pos = 0;
    }

    /** Appends the complete text lines in {@code bytes} (plus what was left over) to {@code lines}, keeping the tail. */
    private void decode(byte[] bytes, Deque<byte[]> lines) {
        boolean trim = tailLines != null && !following;
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                unfinished.write(bytes, start, i - start);
                byte[] record = unfinished.toByteArray();
                unfinished.reset();
                start = i + 1;
                byte[] line = record(record);
                if (line != null) {
                    lines.addLast(line);
                    while (trim && lines.size() > tailLines) {
                        lines.removeFirst();
                    }
                }
            }
        }
        unfinished.write(bytes, start, bytes.length - start);
    }

    /** One record without its prefix: a whole line ending in '\n', or null while a partial line continues. */
    private byte[] record(byte[] r) {
        int s1 = indexOf(r, (byte) ' ', 0);
        int s2 = s1 < 0 ? -1 : indexOf(r, (byte) ' ', s1 + 1);
        int s3 = s2 < 0 ? -1 : indexOf(r, (byte) ' ', s2 + 1);
        if (s2 < 0) {
            return withNewline(r, 0, r.length); // not CRI format: pass it through
        }
        int tagEnd = s3 < 0 ? r.length : s3;
        boolean partialRecord = tagEnd - s2 - 1 >= 1 && r[s2 + 1] == 'P';
        int textStart = s3 < 0 ? r.length : s3 + 1;
        partial.write(r, textStart, r.length - textStart);
        if (partialRecord) {
            return null;
        }
        byte[] whole = partial.toByteArray();
        partial.reset();
        return withNewline(whole, 0, whole.length);
    }

    private static byte[] withNewline(byte[] b, int from, int to) {
        byte[] out = new byte[to - from + 1];
        System.arraycopy(b, from, out, 0, to - from);
        out[out.length - 1] = '\n';
        return out;
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] readAll(Path f) throws IOException {
        try {
            return Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return new byte[0]; // rotated away or removed meanwhile
        }
    }

    private void openCurrent() throws IOException {
        try {
            channel = FileChannel.open(current, StandardOpenOption.READ);
            channelKey = Files.readAttributes(current, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            channel = null;
            channelKey = null;
        }
    }

    /** New bytes: the rest of the open file and, after a rotation (the path names a new file), the new one's. */
    private byte[] readMore() throws IOException {
        Object key;
        try {
            key = Files.readAttributes(current, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            key = channelKey;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (channel != null) {
            out.writeBytes(drain());
        }
        if (!Objects.equals(key, channelKey) || channel == null) {
            if (channel != null) {
                channel.close();
            }
            openCurrent();
            if (channel != null) {
                out.writeBytes(drain());
            }
        }
        return out.toByteArray();
    }

    private byte[] drain() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        while (channel.read(buf) > 0) {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
        }
        return out.toByteArray();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (channel != null) {
            channel.close();
        }
    }
}
