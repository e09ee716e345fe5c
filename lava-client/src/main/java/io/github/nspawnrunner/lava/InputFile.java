package io.github.nspawnrunner.lava;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a file the user named, relative to the working directory, with one-line errors. */
final class InputFile {
    private InputFile() {
    }

    static String read(Path workDir, String name, String what) {
        if (name == null || name.isBlank()) {
            throw new LavaInputException("no " + what + " file given");
        }
        Path file = workDir.resolve(name);
        if (Files.isDirectory(file)) {
            throw new LavaInputException(what + " file " + name + " is a directory");
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.isBlank()) {
                throw new LavaInputException(what + " file " + name + " is empty");
            }
            return text;
        } catch (NoSuchFileException e) {
            throw new LavaInputException(what + " file " + name + " does not exist (in " + workDir + ")");
        } catch (AccessDeniedException e) {
            throw new LavaInputException(what + " file " + name + " is not readable (permission denied)");
        } catch (CharacterCodingException e) {
            throw new LavaInputException(what + " file " + name + " is not UTF-8 text");
        } catch (IOException e) {
            throw new LavaInputException("cannot read " + what + " file " + name + ": " + e.getMessage(), e);
        }
    }
}
