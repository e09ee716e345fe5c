package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.chroot.ChrootName;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The NAME parameter of the chroot subcommands, with the same rules as a name chosen by a job. */
final class ChrootNameParameter {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The chroot's name, as jobs choose it with image:.")
    String value;

    ChrootName name() {
        return parse(spec, value);
    }

    /** VALUE as a chroot name, or the usage error of SPEC's command; for a NAME that is not this mixin's first parameter. */
    static ChrootName parse(CommandSpec spec, String value) {
        return ChrootName.parse(value).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                "invalid chroot name '" + value + "': use a plain name like 'bookworm' ([A-Za-z0-9][A-Za-z0-9._-]*)"));
    }
}
