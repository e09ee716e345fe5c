package io.github.nspawnrunner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * --help, the command list and the man pages show descriptions line by line, and the command
 * list only the first: every line must be whole sentences, never a sentence cut in two.
 */
class HelpTextTest {
    @Test
    void everyDescriptionLineOfEveryCommandAndOptionIsWholeSentences() {
        List<String> cut = new ArrayList<>();
        collect(new CommandLine(new Cli()).getCommandSpec(), cut);
        assertEquals(List.of(), cut, "description lines that do not end a sentence");
    }

    @Test
    void theCommandListShowsSetupAndServiceWithAWholeSentence() {
        String usage = new CommandLine(new Cli()).setUsageHelpWidth(200).getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertEquals(1, usage.lines().filter(l -> l.trim().startsWith("setup ") && l.trim().endsWith("to run jobs.")).count(), usage);
        assertEquals(1, usage.lines().filter(l -> l.trim().startsWith("service ") && l.trim().endsWith("resident JVM.")).count(), usage);
    }

    private static void collect(CommandSpec command, List<String> cut) {
        check(command.qualifiedName(), command.usageMessage().description(), cut);
        command.options().forEach(option -> check(command.qualifiedName() + " " + option.longestName(), option.description(), cut));
        command.positionalParameters().forEach(parameter -> check(command.qualifiedName() + " " + parameter.paramLabel(),
                parameter.description(), cut));
        command.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), cut));
    }

    private static void check(String where, String[] lines, List<String> cut) {
        for (String line : lines) {
            if (!line.endsWith(".") && !line.endsWith(".)")) {
                cut.add(where + ": " + line);
            }
        }
    }
}
