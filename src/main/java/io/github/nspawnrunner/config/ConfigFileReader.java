package io.github.nspawnrunner.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.nio.file.Path;

/**
 * Reads the TOML config file onto {@link ConfigFile}. Anything wrong with it is one
 * {@link ConfigException} naming the file and the line (syntax) or the key (unknown, wrong type).
 * Loaded only when there is a file: without one, no Jackson class is touched.
 */
final class ConfigFileReader {
    /**
     * Strict: a key ConfigFile lacks is an error, and no scalar turns into another type (TOML has
     * types; "60" for a number or 1.5 for a whole number is an admin's mistake worth naming).
     * One per process: the executor service reads the file in each of its calls, and the reader
     * keeps what it learnt about ConfigFile. An ObjectReader is immutable and thread-safe.
     */
    private static final ObjectReader READER = strictMapper().readerFor(ConfigFile.class);

    private ConfigFileReader() {
    }

    private static TomlMapper strictMapper() {
        TomlMapper mapper = TomlMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
        // the one coercion ALLOW_COERCION_OF_SCALARS leaves on: a number or boolean read as a string
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    static ConfigFile read(String toml, Path file) {
        JsonNode tree;
        try {
            tree = READER.readTree(toml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(syntaxError(e, file), e);
        }
        if (tree == null || tree.isMissingNode()) {
            return ConfigFile.NONE;
        }
        try {
            return READER.treeToValue(tree, ConfigFile.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("unknown key \"" + e.getPropertyName() + "\" in " + file + ": known keys are "
                    + ConfigKey.knownKeys(), e);
        } catch (JsonProcessingException e) {
            throw wrongType(e, tree, file);
        }
    }

    /** A value of another TOML type than its key takes: the key, the value as given and the type it takes. */
    private static ConfigException wrongType(JsonProcessingException e, JsonNode tree, Path file) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String name = mapping.getPath().get(0).getFieldName();
            for (ConfigKey key : ConfigKey.values()) {
                if (key.fileKey().equals(name)) {
                    JsonNode value = tree.get(name);
                    String shown = value.isFloatingPointNumber() ? Setting.shown(value.decimalValue()) : value.toString();
                    return Setting.invalid(key, shown, file.toString(),
                            key.expected() + " (" + key.tomlType() + ")");
                }
            }
        }
        return new ConfigException("cannot read " + file + ": " + e.getOriginalMessage(), e);
    }

    /** Jackson's TOML messages carry the line; the file name is ours to add. */
    private static String syntaxError(JsonProcessingException e, Path file) {
        JsonLocation location = e.getLocation();
        String line = location == null || location.getLineNr() < 1 ? "" : " line " + location.getLineNr();
        String message = e.getOriginalMessage();
        // what an unquoted text value (the old key = value format) makes the TOML parser say
        boolean unquoted = message.startsWith("Unknown token") || message.startsWith("More data after value");
        return "TOML syntax error in " + file + line + ": " + message
                + (unquoted ? " (text values are quoted: key = \"value\")" : "");
    }
}
