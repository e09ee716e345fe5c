package io.github.nspawnrunner.service;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/**
 * What a call printed and its exit code. The texts travel base64-encoded: busctl prints strings
 * C-escaped, and base64 is the one encoding the launcher can undo with coreutils alone.
 */
public final class CallReply extends Struct {
    @Position(0)
    private final int exitCode;
    @Position(1)
    private final String stdoutBase64;
    @Position(2)
    private final String stderrBase64;

    public CallReply(int exitCode, String stdoutBase64, String stderrBase64) {
        this.exitCode = exitCode;
        this.stdoutBase64 = stdoutBase64;
        this.stderrBase64 = stderrBase64;
    }

    public int getExitCode() {
        return exitCode;
    }

    public String getStdoutBase64() {
        return stdoutBase64;
    }

    public String getStderrBase64() {
        return stderrBase64;
    }
}
