package io.github.nspawnrunner.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigOutputTest {
    @Test
    void printsTheFieldsGitlabRunnerReadsWithTheirTypes() {
        assertEquals("{\"builds_dir\":\"/builds\",\"cache_dir\":\"/cache\",\"builds_dir_is_shared\":false,"
                        + "\"hostname\":\"nsr-5\",\"driver\":{\"name\":\"nspawn-runner\",\"version\":\"1.2\"},\"shell\":\"bash\"}",
                new ConfigOutput("/builds", "/cache", Optional.of("nsr-5"), "1.2").toJson());
    }

    @Test
    void leavesOutTheHostnameWhenNoJobIsKnown() {
        assertEquals("{\"builds_dir\":\"/b\",\"cache_dir\":\"/c\",\"builds_dir_is_shared\":false,"
                        + "\"driver\":{\"name\":\"nspawn-runner\",\"version\":\"v\\\"q\"},\"shell\":\"bash\"}",
                new ConfigOutput("/b", "/c", Optional.empty(), "v\"q").toJson());
    }
}
