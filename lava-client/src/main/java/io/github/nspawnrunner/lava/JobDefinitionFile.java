package io.github.nspawnrunner.lava;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * A LAVA job definition read from a file. It is checked to be a YAML mapping here, so that a typo
 * gets a precise local error instead of a round trip; the text is sent exactly as written
 * (LAVA keeps it, comments included, as the job's original definition).
 */
public record JobDefinitionFile(String name, String text) {
    public static JobDefinitionFile read(Path workDir, String name) {
        String text = InputFile.read(workDir, name, "job definition");
        JsonNode root;
        try {
            root = LavaYaml.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new LavaInputException("job definition " + name + " is not valid YAML" + where + ": "
                    + e.getOriginalMessage().replace('\n', ' '));
        }
        if (root == null || !root.isObject()) {
            throw new LavaInputException("job definition " + name + " is not a YAML mapping (a LAVA job has keys like"
                    + " device_type, job_name, actions)");
        }
        return new JobDefinitionFile(name, text);
    }
}
