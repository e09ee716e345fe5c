package io.github.nspawnrunner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** What every listing prints with --json: an indented array of objects, keys in the order given, unknowns null. */
final class JsonOutput {
    private JsonOutput() {
    }

    static void print(PrintStream out, List<Map<String, Object>> rows) {
        try {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
