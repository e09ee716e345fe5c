package io.github.nspawnrunner.image;

import java.util.List;

/**
 * What of an image's OCI config applies to the job's stage scripts: Env (PATH in particular),
 * WorkingDir and User. Entrypoint and Cmd do not: a CI job runs its own script.
 */
public record ImageConfig(List<String> env, String workingDir, String user) {
    public ImageConfig {
        env = List.copyOf(env);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
    }
}
