package io.github.nspawnrunner.it;

/**
 * A stage script in the form gitlab-runner (19.x) writes for the bash shell: the body is ANSI-C
 * quoted and evaluated in a subshell with TERM trapped, stdin closed.
 */
final class StageScript {
    private StageScript() {
    }

    static String wrap(String body) {
        return "#!/usr/bin/env bash\n\n"
                + "trap 'exit 1' TERM\n\n"
                + "case \"$(set -o)\" in *\"pipefail\"*) set -o pipefail;; esac; set -o errexit\n"
                + "set +o noclobber\n"
                + "(trap 'exit 1' TERM; eval " + ansiC(body) + ") < /dev/null\n"
                + "exit 0\n";
    }

    private static String ansiC(String text) {
        StringBuilder quoted = new StringBuilder("$'");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\' -> quoted.append("\\\\");
                case '\'' -> quoted.append("\\'");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(c);
            }
        }
        return quoted.append('\'').toString();
    }
}
