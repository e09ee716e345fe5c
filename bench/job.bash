# shellcheck shell=bash disable=SC2154 # cli, work and job_variables are the sourcing script's
# What the bench's steps share: timing, the JSON lines they print, and nspawn-runner called as
# gitlab-runner calls it. Sourced by bench.sh and the step scripts; they set cli and work.

now() { echo "${EPOCHREALTIME/./}"; }                 # microseconds, without a fork
since() { echo $(( ($(now) - $1) / 1000 )); }          # milliseconds
emit() { local metric=$1 impl=$2; shift 2; local IFS=,; echo "{\"metric\":\"$metric\",\"impl\":\"$impl\",\"values\":[$*]}"; }

# a trivial job: gitlab-runner's stages in order, each running this script in gitlab-runner's bash form
# shellcheck disable=SC2034 # stages is for the sourcing script
stages=(prepare_script get_sources restore_cache download_artifacts build_script after_script
        archive_cache upload_artifacts_on_success cleanup_file_variables)
trivial_stage() {  # trivial_stage FILE
  cat > "$1" <<'STAGE'
#!/usr/bin/env bash

trap 'exit 1' TERM

case "$(set -o)" in *"pipefail"*) set -o pipefail;; esac; set -o errexit
set +o noclobber
(trap 'exit 1' TERM; eval $'export CI_JOB_STATUS=running\ntrue\n') < /dev/null
exit 0
STAGE
}

# --- nspawn-runner, as gitlab-runner calls it: env, per-job TMPDIR, own process group ---
job_dir() {
  local dir=$work/nsr/$1
  mkdir -p "$dir"
  printf '{"id": %s, "job_info": {"project_id": 1}}\n' "$1" > "$dir/response.json"
  echo "$dir"
}
nsr() {  # nsr ID ARGS...: with in_process=1: no executor service, a JVM per call; with isolation_off=1: host network,
         # no user namespace; with profile=1: on bench.sh's profile (profile_config); with image=REFERENCE: on that image
         # of the bench's registry (registry.bash); job_variables: more of the job's variables
  local id=$1 dir=$work/nsr/$1; shift
  (cd "$dir" && env -i ${in_process:+NSPAWN_RUNNER_NO_SERVICE=1} ${isolation_off:+NSPAWN_RUNNER_NETWORK=host} \
    ${profile:+NSPAWN_RUNNER_CONFIG=$profile_config} ${profile:+CUSTOM_ENV_NSPAWN_RUNNER_PROFILE=bench} \
    ${image:+NSPAWN_RUNNER_IMAGE_REGISTRIES=$registry} ${image:+CUSTOM_ENV_CI_JOB_IMAGE=$image} \
    ${isolation_off:+NSPAWN_RUNNER_USER_NAMESPACE=false} PATH="$PATH" JAVA_HOME="${JAVA_HOME:-}" TMPDIR="$dir" BUILD_FAILURE_EXIT_CODE=1 \
    SYSTEM_FAILURE_EXIT_CODE=2 BUILD_EXIT_CODE_FILE="$dir/build_exit_code" JOB_RESPONSE_FILE="$dir/response.json" \
    CUSTOM_ENV_CI_JOB_ID="$id" CUSTOM_ENV_CI_CONCURRENT_ID=0 "${job_variables[@]}" setsid "$cli" "$@" > /dev/null 2>&1)
}
