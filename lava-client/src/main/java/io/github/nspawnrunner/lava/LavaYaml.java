package io.github.nspawnrunner.lava;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.LoaderOptions;

/** The YAML reader for job definitions and logs. */
final class LavaYaml {
    private LavaYaml() {
    }

    /**
     * SnakeYAML refuses documents over 3 MB by default; a log page of a long job (everything since
     * the last poll, or the whole log for monitor-file) is easily larger.
     */
    static ObjectMapper mapper() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        return new YAMLMapper(YAMLFactory.builder().loaderOptions(options).build());
    }
}
