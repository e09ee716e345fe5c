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
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

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
    void bashAcceptsTheStageNamesJavaAcceptsAndNamesTheirUnits() {
        String check = line(RUN_STAGE, "if ! \\[\\[ \\$stage =~ (\\S+) \\]\\]; then");
        assertEquals("^" + StageName.PATTERN + "$", check);
        for (String stage : List.of("build_script", "step_release", "a", "a".repeat(64), "a".repeat(65), "../x", "x.service", "a b")) {
            boolean java = accepts(stage);
            String bash = bash("if [[ $stage =~ " + check + " ]]; then echo yes; else echo no; fi", Map.of("stage", stage));
            assertEquals(java ? "yes" : "no", bash, stage);
        }
        String unit = line(RUN_STAGE, "unit=(nspawn-runner-.*)$");
        assertEquals("nspawn-runner-build-script.service", bash("echo " + unit, Map.of("stage", "build_script")));
        assertEquals("nspawn-runner-step-release.service", bash("echo " + unit, Map.of("stage", "step_release")));
    }

    private static boolean accepts(String stage) {
        try {
            StageName.parse(stage);
            return true;
        } catch (ExecutorException e) {
            return false;
        }
    }

    @Test
    void bashNamesTheJobAndItsMissingPreparationAsJavaDoes() {
        String describe = line(RUN_STAGE, "describe=(\".*\")$");
        Map<String, String> job = Map.of("machine", "nsr-42", "job", "42", "exchange", "/var/lib/nspawn-runner/jobs/nsr-42/exchange");
        assertEquals(JobContext.describe(new MachineName("nsr-42"), 42), bash("describe=" + describe + "; echo \"$describe\"", job));
        String notPrepared = line(RUN_STAGE, "\\[ -d \"\\$exchange\" \\] \\|\\| stage_fail system (\".*\")$");
        assertEquals(StageTarget.notPrepared("machine nsr-42 (job 42)", Path.of("/var/lib/nspawn-runner/jobs/nsr-42/exchange")),
                bash("describe=" + describe + "; echo " + notPrepared, job));
    }

    @Test
    void bashReadsEveryKeyOfTheStageTargetFileOfAnImageJob() {
        EnteredStages stages = new EnteredStages(Path.of("/var/lib/nspawn-runner/state/jobs/nsr-42/ns"), 7, List.of("pid", "net"),
                "/bin/bash", "/work", List.of("PATH=/opt/bin:/usr/bin"), List.of("MemoryMax=1024", "DeviceAllow=/dev/null rwm", "Slice=nsr-42.slice"),
                java.util.Optional.of(new EnteredStages.Helper(Path.of("/var/lib/nspawn-runner/state/jobs/nsr-42/helper-ns"), 8,
                        List.of("pid=/var/lib/nspawn-runner/state/jobs/nsr-42/helper-ns/pid"), "/usr/bin/bash")));
        StageTarget target = new StageTarget(new MachineName("nsr-42"), 42, Path.of("/var/lib/x/exchange"), java.time.Duration.ofSeconds(3),
                java.util.Optional.empty(), "memory_max 2G", java.util.Optional.of(stages));
        String run = read(RUN_STAGE);
        for (String key : target.text().lines().map(l -> l.substring(0, l.indexOf('='))).distinct().toList()) {
            assertTrue(run.contains("\n      " + key + ") "), "run-stage.bash does not read the key " + key);
        }
    }

    @Test
    void stagesLeaveTheirExitStatusInTheExchangeDirAsTheContainerSeesIt() {
        assertTrue(read(RUN_STAGE).contains("\"" + JobPaths.CONTAINER_EXCHANGE_DIR + "/$stage.exit-\""),
                "run-stage.bash's wrapper writes outside " + JobPaths.CONTAINER_EXCHANGE_DIR);
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
