package io.github.nspawnrunner.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What `mvn package` built for Debian in target/: the .deb, its completion script and man pages. */
public record BuiltPackage(Path target) {
    public static BuiltPackage ofThisBuild() {
        String project = System.getProperty("it.project.dir");
        if (project == null || project.isBlank()) {
            throw new IllegalStateException("system property it.project.dir is not set: run with mvn verify");
        }
        return new BuiltPackage(Path.of(project, "target"));
    }

    public Path deb() {
        try (Stream<Path> files = Files.list(target)) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().matches("nspawn-runner_.*_all\\.deb")).toList();
            if (debs.size() != 1) {
                throw new IllegalStateException("expected one nspawn-runner_*_all.deb in " + target + ", found " + debs);
            }
            return debs.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path completion() {
        return target.resolve("completion/nspawn-runner");
    }

    /** zsh's completion file, _nspawn-runner, in the directory zsh's fpath names. */
    Path zshCompletion() {
        return target.resolve("completion/_nspawn-runner");
    }

    List<Path> manPages() {
        try (Stream<Path> files = Files.list(target.resolve("man"))) {
            return files.filter(f -> f.toString().endsWith(".1")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The debian version in the file name, e.g. 0.1.0~SNAPSHOT. */
    public String version() {
        return deb().getFileName().toString().replaceFirst("^nspawn-runner_(.*)_all\\.deb$", "$1");
    }

    public record Output(int exitCode, String stdout, String stderr) {
    }

    /** Runs ARGV here with the extra ENVIRONMENT; what it printed, whole. */
    public static Output run(Map<String, String> environment, String... argv) {
        try {
            Path err = Files.createTempFile("nsr-pkg", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(argv).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                builder.environment().putAll(environment);
                Process process = builder.start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int code = process.waitFor();
                return new Output(code, out, Files.readString(err));
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
