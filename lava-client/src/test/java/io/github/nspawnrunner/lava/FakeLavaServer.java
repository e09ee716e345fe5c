package io.github.nspawnrunner.lava;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP server that speaks the part of LAVA's REST API v0.2 the client uses, the way a
 * 2023.01 server does: token auth (403 "Invalid token."), job_ids ("N.k" for multinode, while the
 * REST URLs take plain numbers), states Submitted → Running → Finished, logs served from line N as
 * YAML with 404 when there is nothing new, JUnit results, the job list filtered by ids
 * ({@code jobs/?id__in=…&limit=…}, paginated with {@code next}). Jobs advance one step per status
 * request, and per job-list answer they appear in, so tests control progress without real time. Faults (HTTP errors, 429 with Retry-After, dropped
 * connections, slow answers) are injected per kind of request.
 */
public final class FakeLavaServer implements AutoCloseable {
    enum Kind { SUBMIT, STATUS, LIST, LOGS, JUNIT, CANCEL, OTHER }

    /** One request as the server saw it; AT is the client's (virtual) time. */
    record Request(String method, String target, Kind kind, long at, boolean authorized) {
    }

    /** What the server does instead of answering normally. */
    record Fault(int status, String body, Optional<String> retryAfter, boolean drop, long delayMillis) {
        static Fault http(int status) {
            return new Fault(status, status == 502 ? "<html><title>502 Proxy Error</title></html>" : "{\"detail\":\"busy\"}",
                    Optional.empty(), false, 0);
        }

        static Fault tooManyRequests(String retryAfter) {
            return new Fault(429, "{\"detail\":\"Request was throttled.\"}", Optional.of(retryAfter), false, 0);
        }

        /** Starts an answer and breaks the connection in the middle of it. */
        static Fault dropConnection() {
            return new Fault(0, "", Optional.empty(), true, 0);
        }

        /** Answers normally, but only after the client's timeout. */
        static Fault slow(long millis) {
            return new Fault(0, "", Optional.empty(), false, millis);
        }
    }

    /** A job as the server plays it. */
    public static final class FakeJob {
        final List<Map<String, Object>> log = new ArrayList<>();
        String health = "Complete";
        String failureComment;
        String device = "qemu-01";
        String junit = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites><testsuite name=\"0_smoke\" tests=\"1\">"
                + "<testcase name=\"pwd\" classname=\"0_smoke\"/></testsuite></testsuites>\n";
        /** Status requests that see Submitted before the job runs. */
        int queuedPolls = 1;
        /** Log lines that appear per status request while the job runs. */
        int linesPerPoll = 3;
        /** When set, the job says Finished after this many running polls, before its last lines are served. */
        Integer finishAfterRunningPolls;
        /** Lines that appear per logs request once the job has finished early (the upload lag). */
        int lagLinesPerLogRequest = 2;

        /** Status requests that see Canceling after a cancel, before the job is Finished/Canceled. */
        int cancelingPolls = 1;
        /** A job whose device never lets go: it stays Canceling. */
        boolean ignoresCancel;
        /** Run once, on a thread of its own, when a status request first answers Running (an abort "while it runs"). */
        Runnable onRunning;

        long id;
        String multinodeDefinition = "";
        boolean cancelRequested;
        int pollsSinceCancel;
        int statusPolls;
        int runningPolls;
        int released;
        boolean finished;

        public FakeJob lines(int count, String prefix) {
            for (int i = 0; i < count; i++) {
                info(prefix + " line " + i);
            }
            return this;
        }

        FakeJob info(String message) {
            return entry("info", message);
        }

        FakeJob entry(String level, Object message) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("dt", String.format("2023-01-10T12:%02d:%02d.%06d", log.size() / 60 % 60, log.size() % 60, log.size()));
            line.put("lvl", level);
            line.put("msg", message);
            log.add(line);
            return this;
        }

        FakeJob result(String definition, String testCase, String result, Map<String, String> extra) {
            Map<String, Object> msg = new LinkedHashMap<>();
            msg.put("case", testCase);
            msg.put("definition", definition);
            msg.put("result", result);
            msg.putAll(extra);
            return entry("results", msg);
        }

        public FakeJob endsWith(String health) {
            this.health = health;
            return "Complete".equals(health) ? result("lava", "job", "pass", Map.of()) : this;
        }

        String state() {
            if (finished) {
                return "Finished";
            }
            if (cancelRequested) {
                return "Canceling";
            }
            return statusPolls <= queuedPolls ? "Submitted" : "Running";
        }

        synchronized void advance() {
            statusPolls++;
            if (cancelRequested && !finished) {
                pollsSinceCancel++;
                if (!ignoresCancel && pollsSinceCancel > cancelingPolls) {
                    finished = true;
                    health = "Canceled";
                }
                return;
            }
            if (finished || statusPolls <= queuedPolls) {
                return;
            }
            runningPolls++;
            released = Math.min(log.size(), released + linesPerPoll);
            if (released == log.size() || finishAfterRunningPolls != null && runningPolls >= finishAfterRunningPolls) {
                finished = true;
            }
        }

        synchronized List<Map<String, Object>> linesFrom(int start) {
            if (finished && released < log.size()) {
                released = Math.min(log.size(), released + lagLinesPerLogRequest);
            }
            return start >= released ? List.of() : new ArrayList<>(log.subList(start, released));
        }
    }

    private static final Pattern JOB = Pattern.compile("/api/v0\\.2/jobs/([0-9]+)/");
    private static final Pattern LOGS = Pattern.compile("/api/v0\\.2/jobs/([0-9]+)/logs/");
    private static final Pattern JUNIT = Pattern.compile("/api/v0\\.2/jobs/([0-9]+)/junit/");
    private static final Pattern CANCEL = Pattern.compile("/api/v0\\.2/jobs/([0-9]+)/cancel/");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final String token;
    private final Ticker clock;
    private final Map<Long, FakeJob> jobs = new LinkedHashMap<>();
    private final Deque<List<FakeJob>> plannedSubmissions = new ArrayDeque<>();
    private final List<Request> requests = new ArrayList<>();
    private final List<String> definitions = new ArrayList<>();
    private final Map<Kind, Deque<Fault>> queuedFaults = new EnumMap<>(Kind.class);
    private final Map<Kind, Integer> faultEvery = new EnumMap<>(Kind.class);
    private final Map<Kind, Fault> periodicFault = new EnumMap<>(Kind.class);
    private final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
    private long nextId = 100;
    /** The most jobs one page of the job list holds, whatever the client's limit (a server's max_limit). */
    private int listPageMax = Integer.MAX_VALUE;
    /** Ids another submission takes between the sub-jobs of a multinode submission. */
    private boolean interleaveForeignJob;

    static {
        // the JDK server sends headers and body in two writes: without TCP_NODELAY, Nagle and the
        // client's delayed ACK add 40 ms to every answer (read once, when the first server starts)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private FakeLavaServer(String token, Ticker clock) throws IOException {
        this.token = token;
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        // answers may be slow on purpose (timeouts): never let one block the others
        server.setExecutor(executor);
        server.start();
    }

    public static FakeLavaServer start(String token, Ticker clock) throws IOException {
        return new FakeLavaServer(token, clock);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The jobs the next submission creates: one job, or a multinode group. */
    public synchronized void nextSubmission(FakeJob... group) {
        plannedSubmissions.add(List.of(group));
    }

    /** Pages of the job list hold at most MAX jobs: the client has to follow {@code next}. */
    synchronized void listPagesOf(int max) {
        listPageMax = max;
    }

    synchronized void interleaveForeignJob() {
        interleaveForeignJob = true;
    }

    /** A job that already exists (for monitor-file). */
    synchronized long add(FakeJob job) {
        job.id = nextId++;
        jobs.put(job.id, job);
        return job.id;
    }

    synchronized void failNext(Kind kind, Fault... faults) {
        queuedFaults.computeIfAbsent(kind, k -> new ArrayDeque<>()).addAll(List.of(faults));
    }

    /** Every N-th request of KIND meets FAULT (after the queued faults). */
    synchronized void failEvery(Kind kind, int n, Fault fault) {
        faultEvery.put(kind, n);
        periodicFault.put(kind, fault);
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    synchronized List<String> definitions() {
        return List.copyOf(definitions);
    }

    synchronized FakeJob job(long id) {
        return jobs.get(id);
    }

    /** The log of a job as LAVA stores and serves it: one YAML flow mapping per line. */
    String rawLog(FakeJob job, int from, int to) {
        StringBuilder yaml = new StringBuilder();
        for (Map<String, Object> line : job.log.subList(from, to)) {
            try {
                yaml.append("- ").append(json.writeValueAsString(line)).append('\n');
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return yaml.toString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String method = exchange.getRequestMethod();
            Kind kind = kind(method, path);
            boolean authorized = ("Token " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            Fault fault;
            synchronized (this) {
                requests.add(new Request(method, path + (query == null ? "" : "?" + query), kind, clock.nanos(), authorized));
                fault = fault(kind);
            }
            if (fault != null && fault.delayMillis() == 0) {
                misbehave(exchange, fault);
                return;
            }
            if (fault != null) {
                sleep(fault.delayMillis());
            }
            if (!authorized) {
                send(exchange, 403, "{\"detail\":\"Invalid token.\"}", "application/json");
                return;
            }
            answer(exchange, kind, path, query);
        }
    }

    private Fault fault(Kind kind) {
        int count = counts.merge(kind, 1, Integer::sum);
        Deque<Fault> queue = queuedFaults.get(kind);
        if (queue != null && !queue.isEmpty()) {
            return queue.poll();
        }
        Integer every = faultEvery.get(kind);
        return every != null && count % every == 0 ? periodicFault.get(kind) : null;
    }

    private void misbehave(HttpExchange exchange, Fault fault) throws IOException {
        if (fault.drop()) {
            // promise a body and break off: the client sees the connection end mid-answer
            exchange.sendResponseHeaders(200, 4096);
            OutputStream body = exchange.getResponseBody();
            body.write("- {\"dt\": \"2023".getBytes(StandardCharsets.UTF_8));
            body.flush();
            return;
        }
        fault.retryAfter().ifPresent(value -> exchange.getResponseHeaders().add("Retry-After", value));
        send(exchange, fault.status(), fault.body(), fault.body().startsWith("<") ? "text/html" : "application/json");
    }

    private void answer(HttpExchange exchange, Kind kind, String path, String query) throws IOException {
        switch (kind) {
            case SUBMIT -> submit(exchange);
            case STATUS -> status(exchange, jobFor(JOB, path));
            case LIST -> list(exchange, query);
            case LOGS -> logs(exchange, jobFor(LOGS, path), query);
            case JUNIT -> junit(exchange, jobFor(JUNIT, path));
            case CANCEL -> cancel(exchange, jobFor(CANCEL, path));
            default -> notFound(exchange);
        }
    }

    private void submit(HttpExchange exchange) throws IOException {
        JsonNode body = json.readTree(exchange.getRequestBody());
        if (body == null || !body.path("definition").isTextual()) {
            send(exchange, 400, "{\"message\":\"Missing job definition\"}", "application/json");
            return;
        }
        String definition = body.path("definition").asText();
        List<String> ids = new ArrayList<>();
        synchronized (this) {
            definitions.add(definition);
            if (definition.contains("invalid-for-lava")) {
                send(exchange, 400, "{\"message\":\"Invalid job definition: expected a dictionary for 'actions'\"}",
                        "application/json");
                return;
            }
            List<FakeJob> group = plannedSubmissions.isEmpty() ? List.of(new FakeJob().lines(4, "job").endsWith("Complete"))
                    : plannedSubmissions.poll();
            long first = nextId;
            for (int index = 0; index < group.size(); index++) {
                FakeJob job = group.get(index);
                if (index == 1 && interleaveForeignJob) {
                    FakeJob foreign = new FakeJob().lines(2, "foreign").endsWith("Complete");
                    foreign.multinodeDefinition = "someone else's submission";
                    add(foreign);
                }
                add(job);
                if (group.size() > 1) {
                    job.multinodeDefinition = definition;
                    ids.add(first + "." + index);
                } else {
                    ids.add(Long.toString(job.id));
                }
            }
        }
        ObjectNode answer = json.createObjectNode().put("message", "job(s) successfully submitted");
        if (ids.size() == 1) {
            answer.putArray("job_ids").add(Long.parseLong(ids.get(0)));
        } else {
            ids.forEach(answer.putArray("job_ids")::add);
        }
        send(exchange, 201, answer.toString(), "application/json");
    }

    private void status(HttpExchange exchange, FakeJob job) throws IOException {
        if (job == null) {
            notFound(exchange);
            return;
        }
        send(exchange, 200, advanceAndDescribe(job).toString(), "application/json");
    }

    /**
     * The job list as LAVA's REST framework serves it (limit/offset pagination): the existing jobs
     * among {@code id__in}, newest first (a real 2023.01 server answered 1, 3, 2, 4: the client must
     * not rely on any order), one page of {@code limit} (at most {@link #listPageMax}) from
     * {@code offset}, {@code next} the absolute address of the following page. Every job on the page
     * advances as a status request would.
     */
    private void list(HttpExchange exchange, String query) throws IOException {
        Map<String, String> params = params(query);
        List<FakeJob> matching = new ArrayList<>();
        synchronized (this) {
            for (String id : params.getOrDefault("id__in", "").split(",")) {
                FakeJob job = id.isBlank() ? null : jobs.get(Long.parseLong(id.strip()));
                if (job != null && !matching.contains(job)) {
                    matching.add(job);
                }
            }
        }
        matching.sort((a, b) -> Long.compare(b.id, a.id));
        int limit;
        synchronized (this) {
            limit = Math.min(Integer.parseInt(params.getOrDefault("limit", "20")), listPageMax);
        }
        int offset = Integer.parseInt(params.getOrDefault("offset", "0"));
        List<FakeJob> page = matching.subList(Math.min(offset, matching.size()), Math.min(offset + limit, matching.size()));
        ObjectNode answer = json.createObjectNode().put("count", matching.size());
        // as LAVA 2023.01 builds it: the request's own query re-encoded (commas as %2C), on the host it thinks it has
        String self = "http://lava.internal:8000/api/v0.2/jobs/?id__in="
                + URLEncoder.encode(params.getOrDefault("id__in", ""), StandardCharsets.UTF_8) + "&limit=" + limit;
        if (offset + limit < matching.size()) {
            answer.put("next", self + "&offset=" + (offset + limit));
        } else {
            answer.putNull("next");
        }
        if (offset > 0) {
            answer.put("previous", self + (offset > limit ? "&offset=" + (offset - limit) : ""));
        } else {
            answer.putNull("previous");
        }
        ArrayNode results = answer.putArray("results");
        for (FakeJob job : page) {
            results.add(advanceAndDescribe(job));
        }
        send(exchange, 200, answer.toString(), "application/json");
    }

    private static Map<String, String> params(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    /** One step of the job, and the job object LAVA serves for it (at {@code jobs/<id>/} and in the list). */
    private ObjectNode advanceAndDescribe(FakeJob job) {
        job.advance();
        Runnable trigger = null;
        synchronized (job) {
            if ("Running".equals(job.state()) && job.onRunning != null) {
                trigger = job.onRunning;
                job.onRunning = null;
            }
        }
        if (trigger != null) {
            new Thread(trigger, "fake-lava-trigger").start();
        }
        ObjectNode answer = json.createObjectNode();
        synchronized (job) {
            answer.put("id", job.id).put("state", job.state())
                    .put("health", job.finished ? job.health : "Unknown")
                    .put("multinode_definition", job.multinodeDefinition)
                    .put("submitter", "ci");
            if ("Submitted".equals(job.state())) {
                answer.putNull("actual_device");
            } else {
                answer.put("actual_device", job.device);
            }
            if (job.finished && job.failureComment != null) {
                answer.put("failure_comment", job.failureComment);
            } else {
                answer.putNull("failure_comment");
            }
        }
        return answer;
    }

    private void logs(HttpExchange exchange, FakeJob job, String query) throws IOException {
        if (job == null) {
            notFound(exchange);
            return;
        }
        int start = 0;
        if (query != null) {
            Matcher m = Pattern.compile("(?:^|&)start=([0-9]+)").matcher(query);
            if (m.find()) {
                start = Integer.parseInt(m.group(1));
            }
        }
        List<Map<String, Object>> lines = job.linesFrom(start);
        if (lines.isEmpty()) {
            notFound(exchange);
            return;
        }
        send(exchange, 200, rawLog(job, start, start + lines.size()), "application/yaml");
    }

    /** LAVA 2023.01 answers every cancel, even of a finished job, with 200 "Job cancel signal sent.". */
    private void cancel(HttpExchange exchange, FakeJob job) throws IOException {
        if (job == null) {
            notFound(exchange);
            return;
        }
        synchronized (job) {
            if (!job.finished) {
                job.cancelRequested = true;
            }
        }
        send(exchange, 200, "{\"message\":\"Job cancel signal sent.\"}", "application/json");
    }

    private void junit(HttpExchange exchange, FakeJob job) throws IOException {
        if (job == null || job.junit == null || !job.finished) {
            notFound(exchange);
            return;
        }
        send(exchange, 200, job.junit, "application/xml");
    }

    private synchronized FakeJob jobFor(Pattern pattern, String path) {
        Matcher m = pattern.matcher(path);
        return m.matches() ? jobs.get(Long.parseLong(m.group(1))) : null;
    }

    private static Kind kind(String method, String path) {
        if ("POST".equals(method) && "/api/v0.2/jobs/".equals(path)) {
            return Kind.SUBMIT;
        }
        if (!"GET".equals(method)) {
            return Kind.OTHER;
        }
        if ("/api/v0.2/jobs/".equals(path)) {
            return Kind.LIST;
        }
        if (LOGS.matcher(path).matches()) {
            return Kind.LOGS;
        }
        if (JUNIT.matcher(path).matches()) {
            return Kind.JUNIT;
        }
        if (CANCEL.matcher(path).matches()) {
            return Kind.CANCEL;
        }
        return JOB.matcher(path).matches() ? Kind.STATUS : Kind.OTHER;
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        send(exchange, 404, "{\"detail\":\"Not found.\"}", "application/json");
    }

    private static void send(HttpExchange exchange, int status, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
