package io.github.nspawnrunner.lava;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The jobs monitor-file watches: JSON {@code {"jobids": [1, "2", "3.1"]}}, ids as numbers or strings. */
public record JobIdsFile(String name, List<JobRef> jobs) {
    public JobIdsFile {
        jobs = List.copyOf(jobs);
    }

    public static JobIdsFile read(Path workDir, String name) {
        String text = InputFile.read(workDir, name, "job ids");
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new LavaInputException("job ids file " + name + " is not valid JSON: " + e.getOriginalMessage().replace('\n', ' '));
        }
        JsonNode ids = root == null ? null : root.get("jobids");
        if (ids == null || !ids.isArray()) {
            throw new LavaInputException("job ids file " + name + " must hold {\"jobids\": [...]}");
        }
        if (ids.isEmpty()) {
            throw new LavaInputException("job ids file " + name + " lists no jobs (\"jobids\" is empty)");
        }
        Map<Long, JobRef> jobs = new LinkedHashMap<>();
        for (JsonNode id : ids) {
            JobRef job = id.isIntegralNumber() || id.isTextual() ? JobIds.parse(id.asText()) : null;
            if (job == null) {
                throw new LavaInputException("job ids file " + name + ": " + id + " is not a LAVA job id");
            }
            jobs.putIfAbsent(job.id(), job);
        }
        return new JobIdsFile(name, new ArrayList<>(jobs.values()));
    }
}
