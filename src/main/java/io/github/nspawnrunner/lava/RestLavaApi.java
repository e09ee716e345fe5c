package io.github.nspawnrunner.lava;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nspawnrunner.executor.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link LavaApi} over LAVA's REST API v0.2, as a 2023.01 server speaks it. */
final class RestLavaApi implements LavaApi {
    /** JUnit results are an extra: a few tries, then the job's outcome is reported without them. */
    private static final int JUNIT_ATTEMPTS = 4;
    /** A cancel runs inside gitlab-runner's grace period: a few quick tries, not the patience of a long job. */
    private static final int CANCEL_ATTEMPTS = 3;

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
            throw new LavaServerException("job " + jobId + " does not exist on " + http.endpoint()
                    + " (or this token's user may not see it)");
        }
        JsonNode job = expect(answer, "reading job " + jobId);
        return new JobStatus(jobId, job.path("state").asText("Unknown"), job.path("health").asText("Unknown"),
                optionalText(job.path("actual_device")), optionalText(job.path("failure_comment")),
                job.path("multinode_definition").asText(""));
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
