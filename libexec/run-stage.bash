# shellcheck shell=bash
# run_exec, the stage path: runs one stage script in the job's machine. gitlab-runner starts it
# about nine times per job, so it runs in the launcher's bash, not in a JVM (bench/README.md:
# ~20 ms per stage against ~65 ms for the leanest JVM). It decides nothing about the job:
# prepare (in Java) identified the job by JOB_RESPONSE_FILE and wrote what a stage needs into
# the stage target file beside it (machine/StageTarget.java); this reads that file and no other.
# Sourced by bin/nspawn-runner, which has set -euo pipefail.

stage_fail() {  # stage_fail KIND MESSAGE: one line on stderr, gitlab-runner's exit code for KIND
  echo "nspawn-runner: error: $2" >&2
  if [ "$1" = build ]; then exit "$build_failure"; fi
  exit "$system_failure"
}

# The stage's exit status, from the one marker file the in-container wrapper created. The host
# never opens anything in the exchange dir (the job can write there): it only lists names.
# Builtins only (no fork per stage): sets stage_status, fails unless there is exactly one marker.
stage_exit_status() {  # stage_exit_status EXCHANGE_DIR STAGE
  local marks
  shopt -s nullglob
  marks=("$1/$2".exit-*)
  shopt -u nullglob
  [ "${#marks[@]}" -eq 1 ] && [[ ${marks[0]##*.exit-} =~ ^(0|[1-9][0-9]{0,2})$ ]] || return 1
  stage_status=${marks[0]##*.exit-}
}

# The kernel's count of OOM kills in the job's memory cgroup (oom_counter of the stage target
# file), builtins only: sets oom_kills, 0 when there is no such file.
read_oom_kills() {  # read_oom_kills FILE
  local key count
  oom_kills=0
  if [ -n "$1" ] && [ -r "$1" ]; then
    while read -r key count; do
      if [ "$key" = oom_kill ]; then oom_kills=$count; fi
    done < "$1"
  fi
}

# Says in the job log when the memory limit ended part of the stage (the OOM killer's count grew).
report_oom() {  # report_oom COUNT_BEFORE
  read_oom_kills "$oom_counter"
  if [ "$mode" = enter ] && [ "$oom_kills" -gt 0 ]; then rm -f -- "$oom_counter"; fi
  if [ "$oom_kills" -gt "$1" ]; then
    echo "nspawn-runner: stage $stage of $describe: the job's container reached its memory limit, $memory_limit, and the kernel ended $((oom_kills - $1)) of its processes (out of memory)" >&2
  fi
}

# gitlab-runner's cancel and timeout: SIGTERM to our process group. systemd-run runs in its own
# session, so this stops the stage's unit in the machine (SIGKILL after the stop grace) first.
stage_cancel() {
  echo "nspawn-runner: stage $stage of $describe cancelled: stopping its processes (SIGKILL after ${grace_ms} ms)" >&2
  if [ -n "${systemd_run:-}" ]; then kill "$systemd_run" 2> /dev/null || true; fi
  if ! timeout "$((grace_ms / 1000 + 6))" systemctl "${unit_host[@]}" stop "$unit" > /dev/null 2>&1; then
    echo "nspawn-runner: could not confirm that stage $stage of $describe stopped" >&2
  fi
  exit "$build_failure"
}

run_stage() {  # run_stage TARGET_FILE SCRIPT STAGE
  local target=$1 script=$2 line key value machine='' job='' exchange='' grace_ms='' status oom_before
  stage=$3
  build_failure=${BUILD_FAILURE_EXIT_CODE:-1} system_failure=${SYSTEM_FAILURE_EXIT_CODE:-2}
  [[ $build_failure =~ ^[0-9]+$ ]] || build_failure=1
  [[ $system_failure =~ ^[0-9]+$ ]] || system_failure=2

  oom_counter='' memory_limit=unknown
  # an image job's (mode=enter, machine/EnteredStages.java): its stages enter the container's namespaces
  local mode=boot namespaces='' leader='' image_bash='' workdir=/ ns=() envs=() properties=() slice_cgroup=system.slice
  # and its helper container's (EnteredStages.Helper), where the stages that fetch and store run
  local helper_stages='' helper_namespaces='' helper_leader='' helper_bash='' helper_ns=()
  # whole lines: IFS='=' read would drop a value's one trailing '=' (env=EMPTY= would become EMPTY)
  while IFS= read -r line; do
    key=${line%%=*} value=${line#*=}
    case $key in
      machine) machine=$value ;;
      job) job=$value ;;
      exchange) exchange=$value ;;
      stop_grace_ms) grace_ms=$value ;;
      oom_counter) oom_counter=$value ;;
      memory_limit) memory_limit=$value ;;
      mode) mode=$value ;;
      namespaces) namespaces=$value ;;
      leader) leader=$value ;;
      ns) ns+=("--$value=$namespaces/$value") ;;
      bash) image_bash=$value ;;
      workdir) workdir=$value ;;
      env) envs+=("$value") ;;
      property) properties+=("--property=$value") ;;
      slice_cgroup) slice_cgroup=$value ;;
      helper_stages) helper_stages=$value ;;
      helper_namespaces) helper_namespaces=$value ;;
      helper_leader) helper_leader=$value ;;
      helper_bash) helper_bash=$value ;;
      helper_ns) helper_ns+=("--$value") ;;
    esac
  done < "$target"
  if ! [[ $machine =~ ^[A-Za-z0-9_.-]+$ && $job =~ ^[0-9]+$ && $exchange == /* && $grace_ms =~ ^[0-9]+$ ]] \
    || ! [[ $mode == boot || ($mode == enter && $namespaces == /* && $leader =~ ^[0-9]+$ && $image_bash == /* && $workdir == /* && ${#ns[@]} -gt 0) ]]; then
    stage_fail system "$target is not a stage target file written by nspawn-runner prepare: run prepare again"
  fi
  if [ -n "$helper_namespaces" ] && ! [[ $mode == enter && $helper_namespaces == /* && $helper_leader =~ ^[0-9]+$ \
    && $helper_bash == /* && ${#helper_ns[@]} -gt 0 ]]; then
    stage_fail system "$target is not a stage target file written by nspawn-runner prepare: run prepare again"
  fi
  describe="machine $machine (job $job)"
  if ! [[ $stage =~ ^[A-Za-z0-9_-]{1,64}$ ]]; then
    stage_fail system "unexpected stage name '${stage//[^[:print:]]/?}' for $describe: gitlab-runner names stages like build_script ([A-Za-z0-9_-]{1,64})"
  fi
  unit=nspawn-runner-${stage//_/-}.service
  unit_host=(--machine="$machine")
  if [ "$mode" = enter ]; then unit=$machine-${stage//_/-}.service unit_host=(); fi
  if [ ! -f "$script" ]; then
    [ -e "$script" ] && stage_fail system "stage script $script of $describe is not a file"
    stage_fail system "stage script $script of $describe does not exist"
  fi
  [ -d "$exchange" ] || stage_fail system "$describe is not prepared (no $exchange): prepare failed or cleanup already ran"
  # a marker of an earlier run of this stage name (it stays until cleanup): rm only then, a fork
  shopt -s nullglob
  local stale=("$exchange/$stage".exit-*)
  shopt -u nullglob
  if [ "${#stale[@]}" -gt 0 ]; then
    rm -f -- "${stale[@]}" || stage_fail system "cannot clear the exchange dir $exchange of $describe"
  fi

  if [ "$mode" = enter ]; then
    # each entered stage is a unit of its own, whose cgroup goes with it: its last act (ExecStopPost,
    # a host process, not the job's) copies the kernel's OOM count, if any, beside the target file
    oom_counter=${target%/*}/nspawn-runner-oom.$$
    # shellcheck disable=SC2016 # a script for the host bash systemd runs; $$ is systemd's escape for $
    local post='for f in "$$1" "$$2"; do [ -r "$$f" ] || continue; while read -r k v; do if [ "$$k" = oom_kill ] && [ "$$v" -gt 0 ]; then echo "oom_kill $$v" > "$$0"; fi; done < "$$f"; done'
    local cgroup=$slice_cgroup/$unit
    properties+=("--property=ExecStopPost=-$BASH -c '$post' \"${oom_counter//\$/\$\$}\" /sys/fs/cgroup/$cgroup/memory.events /sys/fs/cgroup/memory/$cgroup/memory.oom_control")
  fi
  read_oom_kills "$oom_counter"
  oom_before=$oom_kills
  trap stage_cancel TERM INT
  # The script comes in on stdin, as gitlab-runner's own examples pass it (bash < script); the
  # wrapper leaves the exit status as a marker's name, because systemd-run exits 0 when the
  # machine dies under it.
  local common=(--quiet --unit="$unit" --pipe --wait --collect --service-type=exec --property=KillMode=control-group
    --property=TimeoutStopSec="${grace_ms}ms" --property=SendSIGKILL=yes --setenv=HOME=/root --setenv=USER=root
    --setenv=LOGNAME=root --setenv=LANG=C.UTF-8)
  if [ "$mode" = enter ] && ! [[ /proc/$leader/ns/pid -ef $namespaces/pid ]]; then
    stage_fail system "stage $stage in $describe cannot start: the machine is gone (its init $leader is not in its pid namespace)"
  fi
  if [ -n "$helper_namespaces" ] && [[ " $helper_stages " == *" $stage "* ]]; then
    if ! [[ /proc/$helper_leader/ns/pid -ef $helper_namespaces/pid ]]; then
      stage_fail system "stage $stage in $describe cannot start: its helper container is gone (its init $helper_leader is not in its pid namespace)"
    fi
    # git and gitlab-runner are the default chroot's: its mount namespace, the job's network
    ns=("${helper_ns[@]}") leader=$helper_leader image_bash=$helper_bash workdir=/ envs=()
  fi
  if [ "$mode" = enter ]; then
    # a host unit with the job's limits, in the container's namespaces. The image's Env is exported
    # inside only: as the unit's environment it would reach nsenter, a host process (LD_PRELOAD)
    # shellcheck disable=SC2016 # $0, $1, $2, $e and $? are the wrapper's, inside the container
    # nsenter always enters the bound pid namespace and forks into it (never --no-fork): if the
    # container's init died since the -ef check, that fork fails and nothing runs; if it succeeds,
    # the init was alive, so the mount namespace opened through it was the container's
    local command=(nsenter "${ns[@]}" --mount="/proc/$leader/ns/mnt" --setuid=0 --setgid=0 -- "$image_bash" -c
      'cd -- "$1" 2> /dev/null || cd /; b=$2; shift 2; for e; do export "$e"; done; "$b"; : > "$0$?"'
      "/run/nspawn-runner/$stage.exit-" "$workdir" "$image_bash" "${envs[@]}")
    # systemd 252 expands ${VAR} and $$ in a command line (systemd-run has no way to say not to):
    # every $ of it goes as $$, so an image's Env, WorkingDir and bash arrive as they are
    setsid systemd-run "${common[@]}" "${properties[@]}" --setenv=SHELL="$image_bash" -- "${command[@]//\$/\$\$}" < "$script" &
  else
    # shellcheck disable=SC2016 # $0 and $? are the wrapper's, inside the machine
    setsid systemd-run "${common[@]}" --machine="$machine" --working-directory=/root --setenv=SHELL=/bin/bash \
      -- /bin/bash -c '/bin/bash; : > "$0$?"' "/run/nspawn-runner/$stage.exit-" < "$script" &
  fi
  systemd_run=$!
  wait "$systemd_run" && status=0 || status=$?
  trap - TERM INT

  if ! stage_exit_status "$exchange" "$stage"; then
    report_oom "$oom_before"
    stage_fail system "stage $stage in $describe ended without an exit status: the machine is gone or the stage was killed (systemd-run exited $status)"
  fi
  [ "$stage_status" -eq 0 ] && exit 0
  report_oom "$oom_before"
  if [ -n "${BUILD_EXIT_CODE_FILE:-}" ] && ! echo "$stage_status" 2> /dev/null > "$BUILD_EXIT_CODE_FILE"; then
    stage_fail system "cannot write BUILD_EXIT_CODE_FILE $BUILD_EXIT_CODE_FILE for $describe"
  fi
  exit "$build_failure"
}
