package io.github.nspawnrunner.setup;

import java.nio.file.Path;

/** The [[runners]] block of gitlab-runner's config.toml that points the custom executor at LAUNCHER. */
public record RunnerBlock(Path launcher) {
    public String toToml() {
        String exec = launcher.toString().replace("\\", "\\\\").replace("\"", "\\\"");
        return """
                [[runners]]
                  name = "nspawn-runner"
                  url = "https://gitlab.example.com"     # your GitLab
                  token = "glrt-REPLACE-ME"              # from: gitlab-runner register --executor custom
                  executor = "custom"
                  builds_dir = "/builds"
                  cache_dir = "/cache"
                  [runners.custom]
                    config_exec = "%1$s"
                    config_args = ["config"]
                    config_exec_timeout = 60
                    prepare_exec = "%1$s"
                    prepare_args = ["prepare"]
                    prepare_exec_timeout = 120
                    run_exec = "%1$s"
                    run_args = ["run"]
                    cleanup_exec = "%1$s"
                    cleanup_args = ["cleanup"]
                    cleanup_exec_timeout = 120
                    graceful_kill_timeout = 60
                    force_kill_timeout = 10
                """.formatted(exec);
    }
}
