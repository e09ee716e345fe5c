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
# session, so this stops the stage's unit (SIGKILL after the stop grace) first.
stage_cancel() {
  echo "nspawn-runner: stage $stage of $describe cancelled: stopping its processes (SIGKILL after ${stop_grace_ms} ms)" >&2
  if [ -n "${systemd_run:-}" ]; then kill "$systemd_run" 2> /dev/null || true; fi
  if ! timeout "$((stop_grace_ms / 1000 + 6))" systemctl "${unit_host[@]}" stop "$unit" > /dev/null 2>&1; then
    echo "nspawn-runner: could not confirm that stage $stage of $describe stopped" >&2
  fi
  exit "$build_failure"
}

# An entered container's bound namespaces outlive it: its init LEADER must still be in them.
check_alive() {  # check_alive WHO LEADER NAMESPACES_DIR
  [[ /proc/$2/ns/pid -ef $3/pid ]] || stage_fail system "stage $stage in $describe cannot start: $1 is gone (its init $2 is not in its pid namespace)"
}

run_stage() {  # run_stage TARGET_FILE SCRIPT STAGE
  local target=$1 script=$2 line key value describe='' exchange='' marker_dir='' stop_grace_ms='' unit_prefix='' unit_machine=''
  local status oom_before setenvs=() properties=() slice_cgroup=system.slice
  stage=$3
  build_failure=${BUILD_FAILURE_EXIT_CODE:-1} system_failure=${SYSTEM_FAILURE_EXIT_CODE:-2}
  [[ $build_failure =~ ^[0-9]+$ ]] || build_failure=1
  [[ $system_failure =~ ^[0-9]+$ ]] || system_failure=2

  oom_counter='' memory_limit=unknown
  # What the stage runs in: a booted job's machine, or an image job's container (mode=enter,
  # machine/EnteredStages.java), whose namespaces it enters; or, for the stages that fetch and
  # store (helper_stages), its helper container (EnteredStages.Helper): the same keys with
  # helper_. Both sets are read whole, whatever their order, and one is chosen after.
  local mode=boot set='' helper_stages='' bash='' workdir='' namespaces='' leader='' helper_bash='' helper_workdir=''
  local helper_namespaces='' helper_leader='' image_ns=() helper_ns=() ns=() envs=()
  # whole lines: IFS='=' read would drop a value's one trailing '=' (env=EMPTY= would become EMPTY)
  while IFS= read -r line; do
    key=${line%%=*} value=${line#*=}
    case $key in
      describe | exchange | marker_dir | stop_grace_ms | unit_prefix | unit_machine | oom_counter | memory_limit | mode \
        | slice_cgroup | helper_stages | leader | namespaces | bash | workdir | helper_leader | helper_namespaces \
        | helper_bash | helper_workdir) printf -v "$key" %s "$value" ;;
      setenv) setenvs+=("--setenv=$value") ;;
      property) properties+=("--property=$value") ;;
      ns) image_ns+=("$value") ;;
      helper_ns) helper_ns+=("$value") ;;
      env) envs+=("$value") ;;
    esac
  done < "$target"
  # every entered stage needs the machine alive, a helper stage its helper too
  local machine_leader=$leader machine_namespaces=$namespaces
  if [[ -n $helper_stages && " $helper_stages " == *" $stage "* ]]; then
    set=helper_ leader=$helper_leader namespaces=$helper_namespaces bash=$helper_bash workdir=$helper_workdir envs=()
    image_ns=("${helper_ns[@]}")
  fi
  # a namespace bound in the set's dir (ns=pid), or elsewhere (helper_ns=net=FILE, the machine's)
  for value in "${image_ns[@]}"; do
    if [[ $value == *=* ]]; then ns+=("--$value"); else ns+=("--$value=$namespaces/$value"); fi
  done
  # a booted job's stage never runs on the host: its unit is the machine's
  # (a machine name starts with a letter or digit: never .host, the host itself)
  if ! [[ -n $describe && $exchange == /* && $marker_dir == /* && $stop_grace_ms =~ ^[0-9]+$ && $unit_prefix =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$
    && $unit_machine =~ ^([A-Za-z0-9][A-Za-z0-9_.-]*)?$ && $bash == /* && $workdir == /* ]] || ! [[ ($mode == boot && -n $unit_machine)
    || ($mode == enter && -z $unit_machine && $namespaces == /* && $leader =~ ^[0-9]+$ && ${#ns[@]} -gt 0
    && $machine_namespaces == /* && $machine_leader =~ ^[0-9]+$) ]]; then
    stage_fail system "$target is not a stage target file written by nspawn-runner prepare: run prepare again"
  fi
  if ! [[ $stage =~ ^[A-Za-z0-9_-]{1,64}$ ]]; then
    stage_fail system "unexpected stage name '${stage//[^[:print:]]/?}' for $describe: gitlab-runner names stages like build_script ([A-Za-z0-9_-]{1,64})"
  fi
  unit=$unit_prefix${stage//_/-}.service unit_host=(${unit_machine:+--machine="$unit_machine"})
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

  local enter=()
  if [ "$mode" = enter ]; then
    check_alive "the machine" "$machine_leader" "$machine_namespaces"
    if [ -n "$set" ]; then check_alive "its helper container" "$leader" "$namespaces"; fi
    # a host unit with the job's limits, in the container's namespaces. nsenter always enters the
    # bound pid namespace and forks into it (never --no-fork): if the container's init died since
    # the check, that fork fails and nothing runs; if it succeeds, the init was alive, so the
    # mount namespace opened through it was the container's
    enter=(nsenter "${ns[@]}" --mount="/proc/$leader/ns/mnt" --setuid=0 --setgid=0 --)
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
  # The script comes in on stdin, as gitlab-runner's own examples pass it (bash < script). The
  # wrapper exports the image's Env inside only (as the unit's environment it would reach nsenter,
  # a host process: LD_PRELOAD) and leaves the exit status as a marker's name, because
  # systemd-run exits 0 when the machine dies under it.
  # shellcheck disable=SC2016 # $0, $1, $2, $e and $? are the wrapper's, inside the container
  local command=("${enter[@]}" "$bash" -c 'cd -- "$1" 2> /dev/null || cd /; b=$2; shift 2; for e; do export "$e"; done; "$b"; : > "$0$?"'
    "$marker_dir/$stage.exit-" "$workdir" "$bash" "${envs[@]}")
  # systemd 252 expands ${VAR} and $$ in a command line (systemd-run has no way to say not to):
  # every $ of it goes as $$, so an image's Env, WorkingDir and bash arrive as they are
  setsid systemd-run --quiet --unit="$unit" "${unit_host[@]}" --pipe --wait --collect --service-type=exec \
    --property=KillMode=control-group --property=TimeoutStopSec="${stop_grace_ms}ms" --property=SendSIGKILL=yes "${properties[@]}" \
    "${setenvs[@]}" --setenv=SHELL="$bash" -- "${command[@]//\$/\$\$}" < "$script" &
  systemd_run=$!
  wait "$systemd_run" && status=0 || status=$?
  trap - TERM INT

  if ! stage_exit_status "$exchange" "$stage"; then
    report_oom "$oom_before"
    local why="the machine is gone or the stage was killed"
    if [ "$mode" = enter ] && [[ -n $set && /proc/$machine_leader/ns/pid -ef $machine_namespaces/pid && ! /proc/$leader/ns/pid -ef $namespaces/pid ]]; then
      why="its helper container is gone"
    fi
    stage_fail system "stage $stage in $describe ended without an exit status: $why (systemd-run exited $status)"
  fi
  [ "$stage_status" -eq 0 ] && exit 0
  report_oom "$oom_before"
  if [ -n "${BUILD_EXIT_CODE_FILE:-}" ] && ! echo "$stage_status" 2> /dev/null > "$BUILD_EXIT_CODE_FILE"; then
    stage_fail system "cannot write BUILD_EXIT_CODE_FILE $BUILD_EXIT_CODE_FILE for $describe"
  fi
  exit "$build_failure"
}
