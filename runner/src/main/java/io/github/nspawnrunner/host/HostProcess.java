package io.github.nspawnrunner.host;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What the host commands whose output we read share ({@link CapturedCommand}, {@link ToolProcess}):
 * however one fails (it cannot start, its output cannot be read, it exits non-zero, we are
 * interrupted), the failure is one {@link HostCommandException} line in the same words, naming
 * WHAT it was for and the program.
 */
final class HostProcess {
    /** The part of a command's run that waits for it: reads its output, waits for its status. */
    @FunctionalInterface
    interface Awaiting<T> {
        T run() throws IOException, InterruptedException;
    }

    private HostProcess() {
    }

    static Process start(ProcessBuilder builder, String what) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new HostCommandException(what + ": cannot run " + builder.command().get(0) + ": " + e.getMessage());
        }
    }

    /**
     * Runs AWAITING for PROCESS. An interrupt kills the process (no one waits for it any more) and
     * stays set for the caller's caller.
     */
    static <T> T await(Process process, List<String> argv, String what, Awaiting<T> awaiting) {
        try {
            return awaiting.run();
        } catch (IOException e) {
            throw new HostCommandException(what + ": cannot read the output of " + argv.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new HostCommandException(what + " was interrupted");
        }
    }

    /** COMPLAINT is the command's own line about it, if it printed one. */
    static HostCommandException exited(List<String> argv, String what, int status, Optional<String> complaint) {
        return new HostCommandException(what + " failed (" + argv.get(0) + " exited " + status
                + complaint.map(line -> ": " + line).orElse("") + ")");
    }
}
