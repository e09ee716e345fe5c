package io.github.nspawnrunner.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The man pages generated from the picocli model, as man renders them. */
class ManPagesIT {
    private final BuiltPackage built = BuiltPackage.ofThisBuild();

    /** man's own check, as lintian runs it: groff's warnings on stderr. */
    private static BuiltPackage.Output render(Path page) {
        return BuiltPackage.run(Map.of("LC_ALL", "C.UTF-8", "MANWIDTH", "80"), "man", "--warnings", "-E", "UTF-8", "-l",
                "-Tutf8", "-Z", page.toString());
    }

    @Test
    void everyCommandHasAPageAndManRendersEachWithoutWarnings() {
        List<Path> pages = built.manPages();
        assertTrue(pages.size() >= 19, pages.toString());
        for (String name : List.of("nspawn-runner.1", "nspawn-runner-chroot.1", "nspawn-runner-chroot-create.1",
                "nspawn-runner-setup.1", "nspawn-runner-service-install.1", "nspawn-runner-lava-submit.1",
                "nspawn-runner-jobs.1", "nspawn-runner-jobs-gc.1", "nspawn-runner-jobs-shell.1", "nspawn-runner-profiles.1")) {
            assertTrue(pages.stream().anyMatch(p -> p.getFileName().toString().equals(name)), name + " missing: " + pages);
        }
        for (Path page : pages) {
            BuiltPackage.Output output = render(page);
            assertEquals(0, output.exitCode(), page + ": " + output);
            assertEquals("", output.stderr(), page + " renders with warnings");
            assertTrue(output.stdout().length() > 500, page + " renders almost nothing: " + output.stdout());
        }
    }

    /** PAGE as a reader sees it, its white space folded. */
    private String plainText(String page) {
        Path file = built.target().resolve("man/" + page);
        BuiltPackage.Output text = BuiltPackage.run(Map.of("LC_ALL", "C.UTF-8", "MANWIDTH", "200"), "man", "-l", file.toString());
        assertEquals(0, text.exitCode(), text.toString());
        return text.stdout().replaceAll("\\s+", " ");
    }

    @Test
    void aPageShowsTheCommandsDescriptionAndOptionsAsHelpDoes() {
        String page = plainText("nspawn-runner-setup.1");
        assertTrue(page.contains("nspawn-runner-setup - Check this host and get it ready to run jobs."), page);
        // [[ is no AsciiDoc anchor here
        assertTrue(page.contains("the [[runners]] block"), page);
        assertTrue(page.contains("--write-runner-config=FILE"), page);
    }

    @Test
    void theJobsGcPageSaysWhatItRemovesAndThatTheServiceDoesItAtBoot() {
        String page = plainText("nspawn-runner-jobs-gc.1");
        assertTrue(page.contains("nspawn-runner-jobs-gc - Remove the jobs that a crash, a reboot or a lost cleanup left behind."), page);
        assertTrue(page.contains("when it starts (also at boot) and every 10 minutes."), page);
        assertTrue(page.contains("--dry-run"), page);
    }
}
