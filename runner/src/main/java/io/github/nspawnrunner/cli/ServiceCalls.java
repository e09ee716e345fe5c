package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.machine.JobContext;
import io.github.nspawnrunner.service.CallHandler;
import io.github.nspawnrunner.service.CallJob;
import io.github.nspawnrunner.systemd.SystemBus;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;

/** What the executor service does for a call: exactly what the CLI does, in the caller's environment, on the service's bus. */
record ServiceCalls(SystemBus bus) implements CallHandler {
    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    @Override
    public int handle(String verb, Map<String, String> environment, PrintStream out, PrintStream err) {
        return GitlabRunnerCall.execute(verb, Session.forService(environment, out, err, bus));
    }

    /** Resolved as every call resolves its job; a call that could not be told its job (no config, no response file) names none. */
    @Override
    public Optional<CallJob> job(Map<String, String> environment) {
        try {
            Session session = Session.forService(environment, NOWHERE, NOWHERE, bus);
            JobContext context = JobContext.resolve(session.environment(), session.config());
            return Optional.of(new CallJob(context.job().jobId(), context.machine().value(), context.describe()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
