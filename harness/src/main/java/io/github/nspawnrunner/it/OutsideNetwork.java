package io.github.nspawnrunner.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The test host's network: a network namespace of its own ({@link #hostNamespace()}, so that what
 * nspawn-runner does to links, nftables and forwarding there never touches this machine's), linked
 * by a veth pair to a second namespace that stands for the outside world (a lab network, a mirror):
 * the test host is {@value #HOST_ADDRESS}/24 on eth0 with its default route via the outside,
 * {@value #OUTSIDE_ADDRESS}, which answers DNS for {@value #OUTSIDE_NAME} and serves whatever the
 * tests start there. Nothing is created in this machine's own namespace.
 */
public final class OutsideNetwork implements AutoCloseable {
    public static final String OUTSIDE_ADDRESS = "10.251.0.1";
    public static final String HOST_ADDRESS = "10.251.0.2";
    /** A name the outside's DNS server resolves to {@value #OUTSIDE_ADDRESS}. */
    public static final String OUTSIDE_NAME = "outside.test";
    /** Answered with {@value #OUTSIDE_ADDRESS}, whose port 80 is forwarded to the real mirror. */
    static final String DEBIAN_MIRROR = "deb.debian.org";
    private static final String HOST_PREFIX = "nsr-it-";
    private static final String OUTSIDE_PREFIX = "nsr-out-";
    private static final Path NETNS_DIR = Path.of("/run/netns");

    private final String hostName;
    private final String outsideName;
    private final Path logDir;
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final Map<Integer, String> forwards = new ConcurrentHashMap<>();

    private OutsideNetwork(String hostName, String outsideName, Path logDir) {
        this.hostName = hostName;
        this.outsideName = outsideName;
        this.logDir = logDir;
    }

    /** Creates both namespaces (named after this JVM's pid) and the DNS server; logs go to LOGDIR. */
    public static OutsideNetwork create(Path logDir) {
        removeStale();
        long pid = ProcessHandle.current().pid();
        OutsideNetwork network = new OutsideNetwork(HOST_PREFIX + pid, OUTSIDE_PREFIX + pid, logDir);
        try {
            network.setUp();
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    private void setUp() {
        run("ip", "netns", "add", hostName);
        run("ip", "netns", "add", outsideName);
        // the pair is made inside the outside namespace and one end moved: it never exists here
        run("ip", "-n", outsideName, "link", "add", "lab0", "type", "veth", "peer", "name", "eth0", "netns", hostName);
        run("ip", "-n", outsideName, "address", "add", OUTSIDE_ADDRESS + "/24", "dev", "lab0");
        run("ip", "-n", hostName, "address", "add", HOST_ADDRESS + "/24", "dev", "eth0");
        for (String[] link : new String[][] {{outsideName, "lab0"}, {outsideName, "lo"}, {hostName, "eth0"}, {hostName, "lo"}}) {
            run("ip", "-n", link[0], "link", "set", link[1], "up");
        }
        run("ip", "-n", hostName, "route", "add", "default", "via", OUTSIDE_ADDRESS);
        // no upstream servers: the outside world's DNS knows its test name and nothing else
        Process dns = startIn(outsideName, "dns", List.of("dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                "--no-resolv", "--no-hosts", "--bind-interfaces", "--listen-address=" + OUTSIDE_ADDRESS,
                "--address=/" + OUTSIDE_NAME + "/" + OUTSIDE_ADDRESS, "--address=/" + DEBIAN_MIRROR + "/" + OUTSIDE_ADDRESS,
                "--pid-file=" + logDir.resolve("outside-dns.pid"),
                "--log-facility=-"));
        awaitListening(outsideName, "udp", 53, dns);
        // the Debian mirror, which chroot create and upgrade use, seen from the lab network as from here
        forward(80, DEBIAN_MIRROR, 80);
    }

    /** The test host's namespace, for systemd-nspawn's --network-namespace-path. */
    public Path hostNamespace() {
        return NETNS_DIR.resolve(hostName);
    }

    /** A TCP server at {@value #OUTSIDE_ADDRESS}:PORT answering each connection with the line REPLY (no commas). */
    public Process serve(int port, String reply) {
        return serveIn(outsideName, OUTSIDE_ADDRESS, port, reply);
    }

    /** A TCP server on ADDRESS:PORT in the test host's own namespace (e.g. its 127.0.0.1), answering REPLY. */
    public Process serveInHost(String address, int port, String reply) {
        return serveIn(hostName, address, port, reply);
    }

    private Process serveIn(String namespace, String address, int port, String reply) {
        Process server = startIn(namespace, "server-" + port, List.of("socat",
                "TCP-LISTEN:" + port + ",bind=" + address + ",fork,reuseaddr", "SYSTEM:echo " + shellQuote(reply)));
        awaitListening(namespace, "tcp", port, server);
        return server;
    }

    /**
     * "HOST:PORT" at which the test host reaches a TCP server on this machine's 127.0.0.1:PORT:
     * {@value #OUTSIDE_ADDRESS}:PORT, each connection entering this JVM's network namespace.
     */
    public String forwardToLoopback(int port) {
        return forwards.computeIfAbsent(port, p -> {
            forward(p, "127.0.0.1", p);
            return OUTSIDE_ADDRESS + ":" + p;
        });
    }

    /** {@value #OUTSIDE_ADDRESS}:PORT forwarded to TARGET:TARGETPORT as this JVM's network namespace reaches it. */
    private void forward(int port, String target, int targetPort) {
        String here = "/proc/" + ProcessHandle.current().pid() + "/ns/net";
        Process forward = startIn(outsideName, "forward-" + port, List.of("socat",
                "TCP-LISTEN:" + port + ",bind=" + OUTSIDE_ADDRESS + ",fork,reuseaddr",
                "EXEC:nsenter --net=" + here + " socat STDIO TCP\\:" + target + "\\:" + targetPort));
        awaitListening(outsideName, "tcp", port, forward);
    }

    /** Stops every server and removes both namespaces; call after the test host has ended. */
    @Override
    public void close() {
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // connections a forking socat was still serving
        killProcessesIn(outsideName);
        killProcessesIn(hostName);
        delete(outsideName);
        delete(hostName);
    }

    /** Namespaces of an earlier run whose JVM was killed before it could remove them. */
    private static void removeStale() {
        List<String> names;
        try (var entries = Files.list(NETNS_DIR)) {
            names = entries.map(path -> path.getFileName().toString()).toList();
        } catch (IOException e) {
            return; // no /run/netns yet: nothing stale
        }
        for (String name : names) {
            String prefix = name.startsWith(HOST_PREFIX) ? HOST_PREFIX : name.startsWith(OUTSIDE_PREFIX) ? OUTSIDE_PREFIX : null;
            if (prefix == null || !name.substring(prefix.length()).matches("[0-9]+")
                    || ProcessHandle.of(Long.parseLong(name.substring(prefix.length()))).isPresent()) {
                continue;
            }
            System.err.println("test harness: removing network namespace " + name + " of a run that ended without removing it");
            if (prefix.equals(OUTSIDE_PREFIX)) {
                killProcessesIn(name); // only the harness's own servers live there
            }
            delete(name);
        }
    }

    private static void killProcessesIn(String namespace) {
        for (String pid : run(List.of("ip", "netns", "pids", namespace), false).split("\\s+")) {
            if (pid.matches("[0-9]+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static void delete(String namespace) {
        if (Files.exists(NETNS_DIR.resolve(namespace))) {
            run(List.of("ip", "netns", "delete", namespace), false);
        }
    }

    private Process startIn(String namespace, String logName, List<String> command) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + NETNS_DIR.resolve(namespace), "--"));
        argv.addAll(command);
        try {
            Process process = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve("outside-" + logName + ".log").toFile()))
                    .redirectErrorStream(true)
                    .start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Until PROCESS listens on PORT in NAMESPACE; fails if it ends first (port taken, bad argument). */
    private void awaitListening(String namespace, String protocol, int port, Process process) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process.info().commandLine().orElse("a server") + " in " + namespace
                        + " ended at once (exit " + process.exitValue() + "): see " + logDir + "/outside-*.log");
            }
            String listening = run(List.of("nsenter", "--net=" + NETNS_DIR.resolve(namespace), "--",
                    "ss", "-Hln" + (protocol.equals("tcp") ? "t" : "u"), "sport = :" + port), false);
            if (!listening.isBlank()) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("nothing listens on " + protocol + " port " + port + " in " + namespace + " after 10 s");
    }

    private static void run(String... argv) {
        run(List.of(argv), true);
    }

    /** Runs ARGV to its end and returns its output; with CHECK, fails unless it succeeded. */
    private static String run(List<String> argv, boolean check) {
        try {
            Process process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).trim();
            int status = process.waitFor();
            if (check && status != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed (exit " + status + "): " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String shellQuote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
