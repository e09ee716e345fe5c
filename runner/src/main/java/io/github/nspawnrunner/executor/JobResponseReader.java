package io.github.nspawnrunner.executor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.github.nspawnrunner.failure.ExecutorException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads the job id and project id from JOB_RESPONSE_FILE. Streams the document with
 * jackson-core and skips everything else: this runs in every JVM that gitlab-runner starts, and
 * data binding would cost it more start-up time than reading the job does.
 */
public final class JobResponseReader {
    private final JsonFactory factory = new JsonFactory();

    public JobResponse read(Path file) {
        try (JsonParser parser = factory.createParser(file.toFile())) {
            return parse(parser, file);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw ExecutorException.system("job response file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            throw ExecutorException.system("job response file " + file + " is not valid JSON: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw ExecutorException.system("cannot read job response file " + file + ": " + e.getMessage(), e);
        }
    }

    private static JobResponse parse(JsonParser parser, Path file) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw ExecutorException.system("job response file " + file + " does not hold a JSON object");
        }
        long jobId = 0;
        OptionalLong projectId = OptionalLong.empty();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.getCurrentName();
            JsonToken value = parser.nextToken();
            if ("id".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                jobId = parser.getLongValue();
            } else if ("job_info".equals(field) && value == JsonToken.START_OBJECT) {
                projectId = projectId(parser);
            } else {
                parser.skipChildren();
            }
        }
        if (jobId <= 0) {
            throw ExecutorException.system("job response file " + file + " has no positive numeric \"id\"");
        }
        return new JobResponse(jobId, projectId);
    }

    private static OptionalLong projectId(JsonParser parser) throws IOException {
        OptionalLong projectId = OptionalLong.empty();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.getCurrentName();
            JsonToken value = parser.nextToken();
            if ("project_id".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                projectId = OptionalLong.of(parser.getLongValue());
            } else {
                parser.skipChildren();
            }
        }
        return projectId;
    }
}
