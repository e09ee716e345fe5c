package io.github.nspawnrunner.lava;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the YAML LAVA serves for {@code logs/?start=N} (a list of {dt, lvl, msg}) into log lines. */
final class LogPageParser {
    private final ObjectMapper yaml = LavaYaml.mapper();

    LogPage parse(String rawYaml) {
        if (rawYaml.isBlank()) {
            return LogPage.EMPTY;
        }
        JsonNode root;
        try {
            root = yaml.readTree(rawYaml);
        } catch (JsonProcessingException e) {
            throw new LavaServerException("LAVA served a log that is not YAML: " + e.getOriginalMessage());
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return LogPage.EMPTY;
        }
        if (!root.isArray()) {
            throw new LavaServerException("LAVA served a log that is not a YAML list");
        }
        List<LogLine> lines = new ArrayList<>(root.size());
        for (JsonNode entry : root) {
            lines.add(line(entry));
        }
        // pages are appended one after the other to lava-<id>.yaml: each must end its last line
        return new LogPage(lines, rawYaml.endsWith("\n") ? rawYaml : rawYaml + "\n");
    }

    private static LogLine line(JsonNode entry) {
        String dt = entry.path("dt").asText("");
        String level = entry.path("lvl").asText("");
        JsonNode msg = entry.path("msg");
        // a LinkedHashMap keeps LAVA's key order, which the readable form shows
        Map<String, String> fields = new LinkedHashMap<>();
        if (msg.isObject()) {
            msg.fields().forEachRemaining(field -> fields.put(field.getKey(), text(field.getValue())));
        }
        return new LogLine(dt, level, text(msg), Collections.unmodifiableMap(fields));
    }

    private static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
