package io.github.nspawnrunner.lava;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nspawnrunner.common.Log;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@link LavaApi} over LAVA's REST API v0.2, as a 2023.01 server speaks it. */
final class RestLavaApi implements LavaApi {
    /** JUnit results are an extra: a few tries, then the job's outcome is reported without them. */
    private static final int JUNIT_ATTEMPTS = 4;
    /** A cancel runs inside gitlab-runner's grace period: a few quick tries, not the patience of a long job. */
    private static final int CANCEL_ATTEMPTS = 3;
    /** Ids per job-list request: one page of LAVA's list, and an address of a sane length. */
    private static final int IDS_PER_REQUEST = 100;

    private final LavaHttp http;
    private final RetryPolicy retry;
    private final Log log;
    private final ObjectMapper json = new ObjectMapper();
    private final LogPageParser logParser = new LogPageParser();

    RestLavaApi(LavaHttp http, RetryPolicy retry, Log log) {
        this.http = http;
        this.retry = retry;
        this.log = log;
    }

    @Override
    public List<String> submit(String definition) throws InterruptedException {
        ObjectNode body = json.createObjectNode().put("definition", definition);
        HttpAnswer answer = http.post("jobs/", body.toString(), retry);
        if (answer.status() == 400) {
            // LAVA validated the definition and said why not: the user's input, not the server, is wrong
            throw new LavaInputException("LAVA refused the job definition: " + reason(answer));
        }
        JsonNode response = expect(answer, "submitting the job");
        JsonNode ids = response.path("job_ids");
        if (!ids.isArray() || ids.isEmpty()) {
            throw new LavaServerException("LAVA accepted the job but returned no job ids");
        }
        List<String> jobIds = new ArrayList<>();
        ids.forEach(id -> jobIds.add(id.asText()));
        return jobIds;
    }

    @Override
    public JobStatus status(long jobId) throws InterruptedException {
        HttpAnswer answer = http.get("jobs/" + jobId + "/", retry);
        if (answer.status() == 404) {
            throw notVisible(jobId);
        }
        return jobStatus(jobId, expect(answer, "reading job " + jobId));
    }

    /**
     * {@code GET jobs/?id__in=…&limit=100}: LAVA's job list, filtered to the ids, answers with the
     * same job objects as {@code jobs/<id>/}, a page of them at a time. A job the list leaves out
     * does not exist or is hidden from this token's user; the list says so by silence, not by a 404.
     */
    @Override
    public Map<Long, JobStatus> statuses(List<Long> jobIds) throws InterruptedException {
        List<Long> ids = List.copyOf(new LinkedHashSet<>(jobIds));
        Map<Long, JobStatus> found = new HashMap<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_REQUEST) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_REQUEST));
            found.putAll(listed(chunk));
        }
        Map<Long, JobStatus> statuses = new LinkedHashMap<>();
        for (long id : ids) {
            JobStatus status = found.get(id);
            if (status == null) {
                throw notVisible(id);
            }
            statuses.put(id, status);
        }
        return statuses;
    }

    /** The statuses the job list has for IDS, following its pages while they bring jobs still missing. */
    private Map<Long, JobStatus> listed(List<Long> ids) throws InterruptedException {
        Set<Long> wanted = new HashSet<>(ids);
        Map<Long, JobStatus> found = new HashMap<>();
        String doing = "reading the status of " + (ids.size() == 1 ? "job " + ids.get(0) : ids.size() + " jobs");
        Optional<String> query = Optional.of("id__in=" + ids.stream().map(String::valueOf).collect(Collectors.joining(","))
                + "&limit=" + IDS_PER_REQUEST);
        while (query.isPresent() && found.size() < wanted.size()) {
            JsonNode page = expect(http.get("jobs/?" + query.get(), retry), doing);
            JsonNode results = page.path("results");
            if (!results.isArray()) {
                throw new LavaServerException(doing + ": LAVA's job list has no results");
            }
            int before = found.size();
            for (JsonNode job : results) {
                long id = job.path("id").asLong(-1);
                if (!wanted.contains(id)) {
                    // a server without the id__in filter lists all jobs: following its pages could take forever
                    throw new LavaServerException(doing + ": LAVA listed job " + id + ", which was not asked for;"
                            + " this server's job list does not filter by id (LAVA 2023.01 does)");
                }
                found.put(id, jobStatus(id, job));
            }
            // a page that adds nothing ends the walk: a server that loops on its pages cannot hold us
            query = found.size() > before ? nextQuery(page.path("next")) : Optional.empty();
        }
        return found;
    }

    /**
     * Only the query of LAVA's absolute {@code next} address is followed, on the configured
     * endpoint: behind a TLS proxy LAVA may build that address with its internal scheme or host,
     * and the token goes nowhere but to LAVA_URL.
     */
    private static Optional<String> nextQuery(JsonNode next) {
        if (!next.isTextual() || next.asText().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(new URI(next.asText()).getRawQuery());
        } catch (URISyntaxException e) {
            throw new LavaServerException("LAVA's job list points to a next page that is not an address: " + oneLine(next.asText()));
        }
    }

    /** A job object as {@code jobs/<id>/} and the job list serve it. */
    private static JobStatus jobStatus(long jobId, JsonNode job) {
        return new JobStatus(jobId, job.path("state").asText("Unknown"), job.path("health").asText("Unknown"),
                optionalText(job.path("actual_device")), optionalText(job.path("failure_comment")),
                job.path("multinode_definition").asText(""));
    }

    private LavaServerException notVisible(long jobId) {
        return new LavaServerException("job " + jobId + " does not exist on " + http.endpoint()
                + " (or this token's user may not see it)");
    }

    @Override
    public LogPage logs(long jobId, long start) throws InterruptedException {
        HttpAnswer answer = http.get("jobs/" + jobId + "/logs/?start=" + start, retry);
        if (answer.status() == 404) {
            // LAVA's way of saying "no lines after START yet" (also before the job starts)
            return LogPage.EMPTY;
        }
        refuseAuthFailure(answer);
        if (!answer.ok()) {
            throw new LavaServerException("reading the log of job " + jobId + ": HTTP " + answer.status() + ": " + reason(answer));
        }
        return logParser.parse(answer.body());
    }

    @Override
    public Optional<String> junit(long jobId) throws InterruptedException {
        HttpAnswer answer;
        try {
            answer = http.get("jobs/" + jobId + "/junit/", retry.limitedTo(JUNIT_ATTEMPTS));
        } catch (LavaServerException e) {
            log.info("no JUnit results for job " + jobId + ": " + e.getMessage());
            return Optional.empty();
        }
        if (answer.ok() && !answer.body().isBlank()) {
            return Optional.of(answer.body());
        }
        if (answer.status() != 404 && !answer.ok()) {
            log.info("no JUnit results for job " + jobId + ": HTTP " + answer.status());
        }
        return Optional.empty();
    }

    @Override
    public void cancel(long jobId) throws InterruptedException {
        HttpAnswer answer = http.get("jobs/" + jobId + "/cancel/", retry.limitedTo(CANCEL_ATTEMPTS));
        refuseAuthFailure(answer);
        if (!answer.ok()) {
            throw new LavaServerException("cancelling job " + jobId + ": HTTP " + answer.status() + ": " + reason(answer));
        }
    }

    private JsonNode expect(HttpAnswer answer, String doing) {
        refuseAuthFailure(answer);
        if (!answer.ok()) {
            throw new LavaServerException(doing + ": HTTP " + answer.status() + ": " + reason(answer));
        }
        try {
            JsonNode node = json.readTree(answer.body());
            if (node == null || !node.isObject()) {
                throw new LavaServerException(doing + ": LAVA did not answer with a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new LavaServerException(doing + ": LAVA did not answer with JSON: " + e.getOriginalMessage());
        }
    }

    private void refuseAuthFailure(HttpAnswer answer) {
        if (answer.status() == 401 || answer.status() == 403) {
            throw new LavaServerException("LAVA refused the request (HTTP " + answer.status() + ": " + reason(answer)
                    + "); check LAVA_TOKEN and the user's permissions on " + http.endpoint());
        }
    }

    /** LAVA's own words: {"detail": ...} from the REST framework, {"message": ...} from submissions. */
    private String reason(HttpAnswer answer) {
        try {
            JsonNode node = json.readTree(answer.body());
            if (node != null) {
                for (String field : List.of("detail", "message", "error")) {
                    if (node.path(field).isValueNode()) {
                        return oneLine(node.path(field).asText());
                    }
                }
            }
        } catch (JsonProcessingException e) {
            // not JSON: an HTML error page of a proxy, say; its first line will do
        }
        String body = answer.body().strip();
        return body.isEmpty() ? "no details" : oneLine(body);
    }

    private static String oneLine(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static Optional<String> optionalText(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        String text = node.asText("");
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }
}
