package io.github.nspawnrunner.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.nspawnrunner.chroot.ChrootName;
import io.github.nspawnrunner.config.ConfigLoader;
import io.github.nspawnrunner.config.Profiles;
import io.github.nspawnrunner.executor.ExecutorEnvironment;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.failure.FailureKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileSelectionTest {
    @TempDir
    Path dir;

    private Profiles profiles;

    @BeforeEach
    void config() throws IOException {
        Path file = Files.writeString(dir.resolve("nspawn-runner.toml"), """
                profiles_allowed = ["kvm"]
                [profiles.kvm]
                shared_devices = ["/dev/kvm"]
                chroots = ["bookworm"]
                [profiles.board]
                devices = ["/dev/ttyUSB0"]
                """);
        Map<String, String> environment = Map.of("NSPAWN_RUNNER_CONFIG", file.toString());
        profiles = new ConfigLoader(environment).load(null).profiles();
    }

    private String select(String asked, String chroot) {
        Map<String, String> variables = asked == null ? Map.of() : Map.of("CUSTOM_ENV_NSPAWN_RUNNER_PROFILE", asked);
        return ProfileSelection.select(profiles, ExecutorEnvironment.from(variables), new ChrootName(chroot)).name();
    }

    private String refusal(String asked, String chroot) {
        ExecutorException e = assertThrows(ExecutorException.class, () -> select(asked, chroot));
        assertEquals(FailureKind.BUILD, e.kind(), "the job's own choice: gitlab-runner must not retry it");
        return e.getMessage();
    }

    @Test
    void aJobGetsTheProfileItSelectsOrTheDefault() {
        assertEquals("default", select(null, "bookworm"));
        assertEquals("default", select("", "bookworm"));
        assertEquals("kvm", select("kvm", "bookworm"));
        assertEquals("default", select("default", "trixie"));
    }

    @Test
    void anUnknownProfileOneJobsMayNotSelectOrOneForOtherChrootsIsRefusedInOneLine() {
        assertEquals("job variable NSPAWN_RUNNER_PROFILE=nope names no profile of this runner; jobs may select default, kvm",
                refusal("nope", "bookworm"));
        assertEquals("job variable NSPAWN_RUNNER_PROFILE=board names a profile that jobs may not select (not in this runner's"
                + " profiles_allowed); jobs may select default, kvm", refusal("board", "bookworm"));
        assertEquals("profile kvm may be used with chroots bookworm, not with trixie", refusal("kvm", "trixie"));
        assertEquals("job variable NSPAWN_RUNNER_PROFILE=../x? names no profile of this runner; jobs may select default, kvm",
                refusal("../x\n", "bookworm"), "shown on one line");
    }
}
