package io.github.nspawnrunner.lava;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh {@link LavaTestBench} (fake server, work dir, virtual time) for every test, closed after it. */
abstract class LavaBenchTest {
    @TempDir
    Path dir;

    LavaTestBench bench;

    @BeforeEach
    void startBench() throws IOException {
        bench = new LavaTestBench(dir);
    }

    @AfterEach
    void stopBench() {
        bench.close();
    }
}
