package io.github.nspawnrunner.it;

/**
 * A stage body that a cancel must stop whole: a sleep in the background, and a bash that ignores
 * SIGTERM, so that only the kill after the stop grace ends it. Each test gives its own sleep and
 * marker: what it finds after its cancel is then its own stage's, not another test's.
 */
public record StubbornStage(int sleepSeconds, String marker) {
    /** Both processes in the background, READY (a command that prints once the stage runs), then wait. */
    public String body(String ready) {
        return String.join("\n",
                "sleep " + sleepSeconds + " &",
                "bash -c 'trap \"\" TERM; while true; do sleep 0.2; done' " + marker + " &",
                ready,
                "wait");
    }

    /**
     * An extended regex (pgrep -f) for both processes' command lines. The last letter of each in
     * brackets: it does not match the command line of a shell that runs pgrep with it.
     */
    public String processes() {
        return bracketLast("sleep " + sleepSeconds) + "|" + bracketLast(marker);
    }

    private static String bracketLast(String text) {
        int last = text.length() - 1;
        return text.substring(0, last) + "[" + text.charAt(last) + "]";
    }
}
