package io.github.nspawnrunner.chroot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.executor.ExecutorEnvironment;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.failure.FailureKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ChrootSelectorTest {
    private final ChrootSelector selector = new ChrootSelector(List.of("NSPAWN_CHROOT", "CI_JOB_IMAGE"), "bookworm");

    private static ExecutorEnvironment env(Map<String, String> variables) {
        return ExecutorEnvironment.from(variables);
    }

    @Test
    void defaultWhenNoVariableIsSet() {
        assertEquals(new ChrootName("bookworm"), selector.select(env(Map.of())));
    }

    @Test
    void firstConfiguredVariableWins() {
        assertEquals(new ChrootName("trixie"), selector.select(env(Map.of(
                "CUSTOM_ENV_CI_JOB_IMAGE", "sid", "CUSTOM_ENV_NSPAWN_CHROOT", "trixie"))));
        assertEquals(new ChrootName("sid"), selector.select(env(Map.of("CUSTOM_ENV_CI_JOB_IMAGE", "sid"))));
    }

    @Test
    void unlistedVariablesCannotChoose() {
        assertEquals(new ChrootName("bookworm"), selector.select(env(Map.of("CUSTOM_ENV_OTHER", "sid"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "..", ".", "/", "/etc", "a/b", "a b", "-rf", ".hidden", "debian:12",
            "x\ny", "bookworm/../../", "a..b", "\u00e9t\u00e9"})
    void pathsAndOddNamesAreRefused(String image) {
        ExecutorException e = assertThrows(ExecutorException.class,
                () -> selector.select(env(Map.of("CUSTOM_ENV_CI_JOB_IMAGE", image))));
        assertEquals(FailureKind.SYSTEM, e.kind());
        assertTrue(e.getMessage().startsWith("refusing chroot '"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void overlongNamesAreRefused() {
        assertThrows(ExecutorException.class,
                () -> selector.select(env(Map.of("CUSTOM_ENV_CI_JOB_IMAGE", "a".repeat(65)))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bookworm", "trixie-arm64", "ubuntu_24.04", "B2"})
    void plainNamesAreAccepted(String image) {
        assertEquals(image, selector.select(env(Map.of("CUSTOM_ENV_CI_JOB_IMAGE", image))).value());
    }
}
