package dev.capstan.node.runtime.process;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A container log file in the CRI format that kubelet and containerd use, one line per line of output:
 * {@code <RFC3339Nano timestamp> stdout|stderr F|P <text>}, where {@code P} marks a piece of a line
 * longer than {@value #MAX_LINE} bytes and {@code F} the end of a line. Appends; thread-safe. Closes
 * itself when every stream pumped into it has ended.
 */
final class CriLogFile {

    static final int MAX_LINE = 16 * 1024;

    private final Path file;
    private OutputStream out; // guarded by this
    private boolean closed;   // guarded by this
    private Runnable onClose = () -> { };
    private final AtomicInteger openStreams;

    CriLogFile(Path file, int streams) throws IOException {
        this.file = file;
        this.out = new FileOutputStream(file.toFile(), true);
        this.openStreams = new AtomicInteger(streams);
    }

    /** Runs once the file is closed for good. */
    synchronized void onClose(Runnable r) {
        if (closed) {
            r.run();
        } else {
            this.onClose = r;
        }
    }

    /** Continues in a new file at the same path (after the agent renamed the old one away). */
    synchronized void reopen() throws IOException {
        if (closed) {
            return;
        }
        OutputStream fresh = new FileOutputStream(file.toFile(), true);
        try {
            out.close();
        } finally {
            out = fresh;
        }
    }

    /** Copies {@code in} into the log, line by line, until end of stream; then closes {@code in}. */
    void pump(InputStream in, String stream) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        write(stream, false, line);
                    } else {
                        line.write(buf[i]);
                        if (line.size() >= MAX_LINE) {
                            write(stream, true, line);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone or the pipe broke: keep what we have
        } finally {
            if (line.size() > 0) {
                write(stream, false, line);
            }
            if (openStreams.decrementAndGet() == 0) {
                close();
            }
        }
    }

    private synchronized void write(String stream, boolean partial, ByteArrayOutputStream line) {
        byte[] prefix = (timestamp(Instant.now()) + " " + stream + (partial ? " P " : " F "))
                .getBytes(StandardCharsets.UTF_8);
        byte[] record = new byte[prefix.length + line.size() + 1];
        System.arraycopy(prefix, 0, record, 0, prefix.length);
        System.arraycopy(line.toByteArray(), 0, record, prefix.length, line.size());
        record[record.length - 1] = '\n';
        line.reset();
        try {
            out.write(record);
        } catch (IOException e) {
            // disk full or file removed: the process keeps running, its output is lost
        }
    }

    /** Closes the file now (normally it closes itself when the last stream ends). */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            // nothing left to save
        }
        onClose.run();
    }

    /** Go's {@code time.RFC3339Nano} in UTC: fraction without trailing zeros, e.g. {@code 2024-05-01T10:00:00.1234Z}. */
    static String timestamp(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(35);
        sb.append(String.format("%04d-%02d-%02dT%02d:%02d:%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth(),
                d.getHour(), d.getMinute(), d.getSecond()));
        if (t.getNano() != 0) {
            String frac = String.format("%09d", t.getNano());
            int end = frac.length();
            while (frac.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(frac, 0, end);
        }
        return sb.append('Z').toString();
    }
}
