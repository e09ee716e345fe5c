package io.github.nspawnrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.cli.GitlabRunnerCall;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.machine.JobContext;
import io.github.nspawnrunner.machine.JobPaths;
import io.github.nspawnrunner.machine.MachineName;
import io.github.nspawnrunner.machine.NspawnCommand;
import io.github.nspawnrunner.machine.StageName;
import io.github.nspawnrunner.machine.EnteredStages;
import io.github.nspawnrunner.machine.StageTarget;
import io.github.nspawnrunner.service.CallReply;
import io.github.nspawnrunner.service.Executor1;
import io.github.nspawnrunner.service.ExecutorEndpoint;
import io.github.nspawnrunner.service.ServiceFiles;
import io.github.nspawnrunner.systemd.MachineShell;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The facts that bash (bin/nspawn-runner, libexec/) and Java both hold, checked against each
 * other: a change on one side fails here. Where the bash side is an expression, bash evaluates it.
 */
class LauncherContractTest {
    private static final Path LAUNCHER = Path.of("bin/nspawn-runner");
    private static final Path RUN_STAGE = Path.of("libexec/run-stage.bash");
    private static final Path SERVICE_CALL = Path.of("libexec/service-call.bash");

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The one line of FILE that matches REGEX (anchored at the line's start after indentation); its group 1. */
    private static String line(Path file, String regex) {
        List<String> found = read(file).lines().map(l -> Pattern.compile("^\\s*" + regex).matcher(l))
                .filter(Matcher::find).map(m -> m.group(1)).toList();
        assertEquals(1, found.size(), file + ": lines like " + regex + ": " + found);
        return found.get(0);
    }

    /** What bash prints for SCRIPT, with VARIABLES set. */
    private static String bash(String script, Map<String, String> variables) {
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script);
            builder.environment().putAll(variables);
            Process process = builder.redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.waitFor(), script + ": " + output);
            return output.strip();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void theLauncherLooksForTheStageTargetFileWherePrepareWritesIt() {
        String assignment = line(LAUNCHER, "case \\$JOB_RESPONSE_FILE in (.*)$");
        String script = "case $JOB_RESPONSE_FILE in " + assignment + "\necho \"$target\"";
        assertEquals(StageTarget.fileFor(Path.of("/tmp/ce-42/response.json")).toString(),
                bash(script, Map.of("JOB_RESPONSE_FILE", "/tmp/ce-42/response.json")));
        assertEquals(StageTarget.FILE_NAME, bash(script, Map.of("JOB_RESPONSE_FILE", "response.json")));
    }

    @Test
    void bashAcceptsTheStageNamesJavaAcceptsAndNamesTheirUnits(@TempDir Path dir) throws Exception {
        String check = line(RUN_STAGE, "if ! \\[\\[ \\$stage =~ (\\S+) \\]\\]; then");
        assertEquals("^" + StageName.PATTERN + "$", check);
        for (String stage : List.of("build_script", "step_release", "a", "a".repeat(64), "a".repeat(65), "../x", "x.service", "a b")) {
            boolean java = accepts(stage);
            String bash = bash("if [[ $stage =~ " + check + " ]]; then echo yes; else echo no; fi", Map.of("stage", stage));
            assertEquals(java ? "yes" : "no", bash, stage);
        }
        // a booted job's stages are units of its machine's systemd, an image job's the host's
        StageTarget booted = booted(dir);
        assertEquals(List.of("--unit=nspawn-runner-build-script.service", "--machine=nsr-42"), unitOf(StageRun.of(dir, booted, "build_script")));
        assertEquals(List.of("--unit=nspawn-runner-step-release.service", "--machine=nsr-42"), unitOf(StageRun.of(dir, booted, "step_release")));
        assertEquals(List.of("--unit=nsr-42-build-script.service"), unitOf(StageRun.of(dir, entered(dir), "build_script")));
    }

    private static List<String> unitOf(StageRun run) {
        assertEquals(0, run.exitCode(), run.output());
        return run.argv().subList(0, run.argv().indexOf("--")).stream().filter(a -> a.startsWith("--unit=") || a.startsWith("--machine="))
                .toList();
    }

    private static boolean accepts(String stage) {
        try {
            StageName.parse(stage);
            return true;
        } catch (ExecutorException e) {
            return false;
        }
    }

    /** A booted job's stage target file's, its exchange dir in DIR. */
    private static StageTarget booted(Path dir) throws IOException {
        return target(dir, Optional.empty());
    }

    private static StageTarget target(Path dir, Optional<EnteredStages> entered) throws IOException {
        return new StageTarget(new MachineName("nsr-42"), 42, Files.createDirectories(dir.resolve("exchange")), Duration.ofSeconds(3),
                Optional.empty(), "memory_max 2G", entered);
    }

    /**
     * An image job's, with a helper, whose containers are alive: their bound pid namespaces are
     * this process's, and so is their init.
     */
    private static StageTarget entered(Path dir) throws IOException {
        Path ns = Files.createDirectories(dir.resolve("ns"));
        Path helperNs = Files.createDirectories(dir.resolve("helper-ns"));
        for (Path each : List.of(ns, helperNs)) {
            Files.deleteIfExists(each.resolve("pid"));
            Files.createSymbolicLink(each.resolve("pid"), Path.of("/proc/self/ns/pid"));
        }
        long self = ProcessHandle.current().pid();
        EnteredStages stages = new EnteredStages(ns, self, List.of("pid", "net"), "/bin/bash", "/work", List.of("PATH=/opt/bin:/usr/bin"),
                List.of("MemoryMax=1024", "DeviceAllow=/dev/null rwm", "Slice=nsr-42.slice"), Optional.of(new EnteredStages.Helper(helperNs,
                        self, List.of("pid=" + helperNs.resolve("pid"), "net=" + ns.resolve("net")), "/usr/bin/bash")));
        return target(dir, Optional.of(stages));
    }

    @Test
    void bashNamesTheJobAndItsMissingPreparationAsJavaDoes(@TempDir Path dir) throws Exception {
        StageTarget target = booted(dir);
        String describe = JobContext.describe(new MachineName("nsr-42"), 42);
        assertTrue(target.text().contains("\ndescribe=" + describe + "\n"), target.text());
        StageRun badName = StageRun.of(dir, target, "build;reboot");
        assertEquals(2, badName.exitCode(), badName.output());
        assertTrue(badName.output().contains("unexpected stage name 'build;reboot' for " + describe + ": "), badName.output());
        Files.delete(target.exchangeDir());
        StageRun notPrepared = StageRun.of(dir, target, "build_script");
        assertEquals(2, notPrepared.exitCode(), notPrepared.output());
        assertEquals("nspawn-runner: error: " + StageTarget.notPrepared(describe, target.exchangeDir()), notPrepared.output().strip());
        assertEquals(List.of(), notPrepared.argv());
    }

    @Test
    void aBootedJobsStageNeverRunsOnTheHost(@TempDir Path dir) throws Exception {
        StageTarget target = booted(dir);
        for (String machine : List.of("", ".host", "-x")) {
            String text = target.text().replaceAll("(?m)^unit_machine=.*$", "unit_machine=" + machine);
            StageRun run = StageRun.of(dir, target, text, "build_script");
            assertEquals(2, run.exitCode(), machine + ": " + run.output());
            assertTrue(run.output().contains("is not a stage target file written by nspawn-runner prepare"), run.output());
            assertEquals(List.of(), run.argv(), "systemd-run never ran for unit_machine=" + machine);
        }
    }

    @Test
    void bashReadsEveryKeyOfTheStageTargetFileAndNoOther(@TempDir Path dir) throws IOException {
        Set<String> written = new TreeSet<>();
        for (StageTarget target : List.of(booted(dir), entered(dir))) {
            target.text().lines().map(l -> l.substring(0, l.indexOf('='))).forEach(written::add);
        }
        // machine and job name the job to whoever reads the file; a stage names it by describe
        written.removeAll(List.of("machine", "job"));
        String run = read(RUN_STAGE).replace("\\\n", "");
        String cases = run.substring(run.indexOf("\n", run.indexOf("    case $key in\n") + 1), run.indexOf("    esac\n"));
        Set<String> read = new TreeSet<>();
        Set<String> asWritten = new TreeSet<>();
        Matcher label = Pattern.compile("(?m)^\\s+([^#\\s(][^()]*)\\) ").matcher(cases);
        while (label.find()) {
            for (String key : label.group(1).split("\\s*\\|\\s*")) {
                String unquoted = key.strip().replace("\"", "");
                // the keys of the set a stage enters by: the image container's, or the same with helper_ (which has no env)
                String set = unquoted.replace("${set}", "");
                read.add(set);
                asWritten.add(set);
                if (!set.equals(unquoted)) {
                    read.add("helper_" + set);
                }
            }
        }
        assertTrue(read.containsAll(written), "run-stage.bash does not read " + written.stream().filter(k -> !read.contains(k)).toList());
        assertTrue(written.containsAll(asWritten), "run-stage.bash reads what Java does not write: "
                + asWritten.stream().filter(k -> !written.contains(k)).toList());
    }

    @Test
    void stagesRunAsJavaSaysAndLeaveTheirExitStatusInTheExchangeDirAsTheContainerSeesIt(@TempDir Path dir) throws Exception {
        StageRun booted = StageRun.of(dir, booted(dir), "build_script");
        assertEquals(0, booted.exitCode(), booted.output());
        for (String variable : MachineShell.ROOT_ENVIRONMENT) {
            assertTrue(booted.argv().contains("--setenv=" + variable), booted.argv().toString());
        }
        assertTrue(booted.argv().contains("--setenv=SHELL=" + MachineShell.BASH), booted.argv().toString());
        // the wrapper: BASH -c WRAPPER MARKER WORKDIR BASH, in the machine as in an entered container
        List<String> command = booted.command();
        assertEquals(List.of(MachineShell.BASH, "-c"), command.subList(0, 2));
        assertEquals(List.of(JobPaths.CONTAINER_EXCHANGE_DIR + "/build_script.exit-", MachineShell.ROOT_HOME, MachineShell.BASH),
                command.subList(3, command.size()));
        StageRun entered = StageRun.of(dir, entered(dir), "build_script");
        assertEquals(0, entered.exitCode(), entered.output());
        List<String> enter = entered.command();
        assertEquals(command.get(2), enter.get(enter.indexOf("-c") + 1));
        assertEquals(List.of(JobPaths.CONTAINER_EXCHANGE_DIR + "/build_script.exit-", "/work", "/bin/bash", "PATH=/opt/bin:/usr/bin"),
                enter.subList(enter.indexOf("-c") + 2, enter.size()));
    }

    @Test
    void theLauncherHandsTheServiceExactlyItsVerbsAtItsUnitPaths() {
        String verbs = line(LAUNCHER, "((?:[a-z]+ \\| )+[a-z]+)\\)$");
        Set<String> handed = Arrays.stream(verbs.split(" \\| ")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(ExecutorEndpoint.VERBS), handed);
        handed.forEach(verb -> assertTrue(GitlabRunnerCall.matches(new String[] {verb}), verb));
        String launcher = read(LAUNCHER);
        for (Path unit : List.of(ServiceFiles.UNIT_FILE, ServiceFiles.PACKAGED_UNIT_FILE)) {
            assertTrue(launcher.contains("[ -f /" + unit + " ]"), "bin/nspawn-runner does not look for /" + unit);
        }
        assertTrue(read(SERVICE_CALL).contains("systemctl start " + ServiceFiles.UNIT + " "), "service-call.bash starts another unit");
    }

    @Test
    void busctlCallsTheServicesMethodWithItsNamePathAndSignatures() throws NoSuchMethodException {
        assertEquals(Executor1.NAME, line(SERVICE_CALL, "local verb=\\$1 jar=\\$2 name=(\\S+) "));
        Method call = Executor1.class.getMethod("Call", String.class, String.class);
        String signature = "s".repeat(call.getParameterCount());
        assertTrue(read(SERVICE_CALL).contains("call \"$name\" " + Executor1.OBJECT_PATH + "\n    \"$name\" " + call.getName()
                + " " + signature + " \"$verb\" \"$jar\")"), "service-call.bash's busctl call differs from Executor1");
        String reply = Arrays.stream(CallReply.class.getDeclaredFields()).filter(f -> !Modifier.isStatic(f.getModifiers()))
                .map(LauncherContractTest::dbusType).collect(Collectors.joining("", "(", ")"));
        assertEquals("(iss)", reply);
        assertTrue(read(SERVICE_CALL).contains("'" + reply + " '*)"), "service-call.bash reads replies other than " + reply);
    }

    private static String dbusType(Field field) {
        return field.getType() == int.class ? "i" : field.getType() == String.class ? "s" : "?" + field.getType();
    }

    /**
     * The submit and monitor-file wrappers a chroot gets run the jar prepare binds into every job
     * container, with the start-up flags the launcher gives the LAVA client on the host.
     */
    @Test
    void theLavaCommandsOfAChrootRunTheBoundJarWithTheLaunchersFlags() {
        String exec = line(Path.of("rootfs-builder/add-lava-commands"), "exec java (.*) \\$command ");
        List<String> words = List.of(exec.split(" "));
        assertEquals(List.of("-jar", NspawnCommand.CONTAINER_CLIENT_JAR), words.subList(words.size() - 2, words.size()));
        String launcher = read(LAUNCHER);
        String otherCommands = line(LAUNCHER, "\\*\\) gc=(\\S+) ;;");
        for (String flag : words.subList(0, words.size() - 2)) {
            assertTrue(launcher.contains("exec \"$java\" " + flag) || flag.equals(otherCommands),
                    flag + " is not a flag the launcher gives the LAVA client");
        }
    }
}
