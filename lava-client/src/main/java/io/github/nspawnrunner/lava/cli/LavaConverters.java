package io.github.nspawnrunner.lava.cli;

import io.github.nspawnrunner.lava.LavaInputException;
import io.github.nspawnrunner.lava.LavaValues;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli's converters for the options, by the rules of their environment variables
 * ({@link LavaValues}): a bad value is a usage error (exit 2) that names the option.
 * The lava package is loaded only when a value is converted, never to build the command tree.
 */
final class LavaConverters {
    private LavaConverters() {
    }

    /** "5", "0.5", "2s": more than 0, at most a day. */
    static final class Seconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return LavaValues.seconds(value, "the value");
            } catch (LavaInputException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** true/false, yes/no, 1/0, as the boolean variables take them. */
    static final class Bool implements ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            try {
                return LavaValues.bool(value, "the value");
            } catch (LavaInputException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class RequestsPerMinute implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                return LavaValues.requestsPerMinute(value, "the value");
            } catch (LavaInputException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
