package io.github.nspawnrunner.chroot;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.failure.FailureKind;

/** A chroot management request that cannot be done; the message says why and what to do. */
public class ChrootException extends ExecutorException {
    public ChrootException(String message) {
        super(FailureKind.SYSTEM, message);
    }
}
