package io.github.nspawnrunner.host;

import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * systemd's journal, written with fields of our own (JOB_ID=42 ...), so that `journalctl FIELD=VALUE`
 * finds a job's lines. A service's stderr reaches the journal as plain text only; fields need the
 * journal's native protocol, a datagram socket the JDK cannot write to, hence libsystemd's
 * sd_journal_sendv through jnr-ffi (already here for the mount API).
 */
public final class Journal {
    private static final int IOVEC_SIZE = 16;

    /** The one libsystemd function used; libsystemd0 comes with systemd itself. */
    public interface LibSystemd {
        int sd_journal_sendv(Pointer iov, int n);
    }

    private final LibSystemd libsystemd;
    private final Runtime runtime;
    private final String identifier;

    private Journal(LibSystemd libsystemd, String identifier) {
        this.libsystemd = libsystemd;
        this.runtime = Runtime.getRuntime(libsystemd);
        this.identifier = identifier;
    }

    /**
     * The journal, when ENVIRONMENT says our stderr already goes there (systemd sets JOURNAL_STREAM
     * for a service whose output it logs) and libsystemd loads; else empty, and the caller keeps
     * writing to stderr. IDENTIFIER is the lines' SYSLOG_IDENTIFIER.
     */
    public static Optional<Journal> ofService(Map<String, String> environment, String identifier) {
        if (environment.getOrDefault("JOURNAL_STREAM", "").isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Journal(LibraryLoader.create(LibSystemd.class).load("libsystemd.so.0"), identifier));
        } catch (LinkageError e) {
            return Optional.empty();
        }
    }

    /**
     * Sends MESSAGE with FIELDS (names as journald takes them: A-Z, 0-9 and _, not starting with _)
     * at syslog PRIORITY (6 info, 4 warning). Returns false when journald did not take it.
     */
    public boolean send(int priority, String message, Map<String, String> fields) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("MESSAGE", message);
        entry.put("PRIORITY", String.valueOf(priority));
        entry.put("SYSLOG_IDENTIFIER", identifier);
        entry.putAll(fields);
        Pointer iov = Memory.allocateDirect(runtime, entry.size() * IOVEC_SIZE);
        // kept reachable until the call returns: the iovecs point into them
        List<Pointer> buffers = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, String> field : entry.entrySet()) {
            byte[] bytes = (field.getKey() + "=" + field.getValue()).getBytes(StandardCharsets.UTF_8);
            Pointer buffer = Memory.allocateDirect(runtime, bytes.length);
            buffer.put(0, bytes, 0, bytes.length);
            buffers.add(buffer);
            iov.putAddress(i * IOVEC_SIZE, buffer.address());
            iov.putLong(i * IOVEC_SIZE + 8, bytes.length);
            i++;
        }
        int result = libsystemd.sd_journal_sendv(iov, entry.size());
        Reference.reachabilityFence(buffers);
        return result >= 0;
    }
}
