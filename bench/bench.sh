#!/usr/bin/env bash
# Runs on a host booted with systemd (bench/run boots one when needed): times one trivial job done
# with plain systemd commands ("baseline") and with nspawn-runner driven as gitlab-runner drives it.
# Prints one JSON object per line: {"metric": M, "impl": I, "values": [...]} (ms, or KiB).
#   bench.sh CLI CHROOT_DIR WORK_DIR REPETITIONS
set -euo pipefail

cli=$1 chroot=$2 work=$3 reps=$4
state=${NSPAWN_RUNNER_STATE_DIR:-/var/lib/nspawn-runner/state}
mkdir -p "$work"
# shellcheck source=SCRIPTDIR/job.bash
. "$(dirname "${BASH_SOURCE[0]}")/job.bash"
script=$work/trivial-stage
trivial_stage "$script"

# --- the baseline: what an admin would script with systemd's own tools ---
plain_prepare() {
  mkdir -p "$work/plain/$1/upper"
  systemd-run -q --unit="plain-$1" -p Type=notify -p Delegate=yes -p Slice=machine.slice -p KillMode=mixed \
    -p CollectMode=inactive-or-failed systemd-nspawn -q --keep-unit --boot --notify-ready=yes --link-journal=no \
    --machine="$1" -D "$chroot" --read-only --overlay="$chroot:$work/plain/$1/upper:/"
}
plain_stage() { systemd-run -q --machine="$1" --pipe --wait bash < "$script" > /dev/null; }
plain_cleanup() {
  machinectl terminate "$1"
  while machinectl show "$1" > /dev/null 2>&1; do sleep 0.01; done
  rm -rf "$work/plain/$1"
}
plain_job() { plain_prepare "$1"; for _ in "${stages[@]}"; do plain_stage "$1"; done; plain_cleanup "$1"; }

# --- nspawn-runner, as gitlab-runner calls it: env, per-job TMPDIR, own process group ---
# a profile granting a device and a read-write host directory, for what a profile costs prepare and cleanup
profile_config=$work/profiles.toml
mkdir -p "$state/bench-host-dir"
printf 'profiles_allowed = ["bench"]\n[profiles.bench]\nshared_devices = ["/dev/full"]\nhost_dirs = ["%s:/shared:rw"]\n' \
  "$state/bench-host-dir" > "$profile_config"
nsr_job() {
  job_dir "$1" > /dev/null
  nsr "$1" config; nsr "$1" prepare
  for stage in "${stages[@]}"; do nsr "$1" run "$script" "$stage"; done
  nsr "$1" cleanup
  rm -rf "$work/nsr/$1"
}

# the executor service, as 'nspawn-runner setup' installs it; the in-process figures go without it
"$cli" service install 2> /dev/null
job_variables=()
first_calls=() orphan_rounds=()
# the service's own log line: "checked N job directories for orphans in M ms"
last_orphan_round() { journalctl -u nspawn-runner.service -o cat --no-pager | sed -n 's/.*job directories for orphans in \([0-9]*\) ms$/\1/p' | tail -1; }
for ((i = 1; i <= reps; i++)); do  # the launcher starts the service's JVM on the first call after it exited
  systemctl stop nspawn-runner.service
  rounds_before=$(journalctl -u nspawn-runner.service -o cat --no-pager | grep -c 'job directories for orphans in' || true)
  job_dir "9$i" > /dev/null
  start=$(now) && nsr "9$i" config && first_calls+=("$(since "$start")")
  rm -rf "$work/nsr/9$i"
  # the first orphan round runs beside that first call: its own cost, as the service measured it
  for _ in $(seq 50); do
    [ "$(journalctl -u nspawn-runner.service -o cat --no-pager | grep -c 'job directories for orphans in' || true)" -gt "$rounds_before" ] && break
    sleep 0.1
  done
  orphan_rounds+=("$(last_orphan_round)")
done

measure() {  # measure METRIC IMPL COMMAND...: REPS timings of COMMAND (given the repetition number)
  local metric=$1 impl=$2 values=() start; shift 2
  for ((i = 1; i <= reps; i++)); do start=$(now); "$@" "$i"; values+=("$(since "$start")"); done
  emit "$metric" "$impl" "${values[@]}"
}

jvm_alone() {  # the launcher's flags, without the jar
  "$JAVA_HOME/bin/java" -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseG1GC -XX:-UsePerfData \
    -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 -version 2> /dev/null
}
measure jvm_startup nspawn-runner jvm_alone
measure jvm_startup baseline true
cli_version() { "$cli" --version > /dev/null; }
measure cli_startup nspawn-runner cli_version
emit service_first_call nspawn-runner "${first_calls[@]}"
emit service_orphan_round nspawn-runner "${orphan_rounds[@]}"

# one call through the service, config (it starts nothing), with the ~100 variables a GitLab job
# has: what handing the caller's environment to the service costs per call
job_variables=()
for ((v = 1; v <= 100; v++)); do job_variables+=("CUSTOM_ENV_VARIABLE_$v=value-$v-of-a-typical-length"); done
nsr_config_n() { job_dir $((50 + $1)) > /dev/null; nsr $((50 + $1)) config; rm -rf "$work/nsr/$((50 + $1))"; }
measure config_100_variables nspawn-runner nsr_config_n
job_variables=()

n=100
plain_prepare_n() { plain_prepare "bp$((n + $1))"; }
plain_cleanup_n() { plain_cleanup "bp$((n + $1))"; }
nsr_prepare_n() { job_dir $((n + $1)) > /dev/null; nsr $((n + $1)) prepare; }
nsr_cleanup_n() { nsr $((n + $1)) cleanup; rm -rf "$work/nsr/$((n + $1))"; }
measure prepare baseline plain_prepare_n
measure cleanup baseline plain_cleanup_n
measure prepare nspawn-runner nsr_prepare_n
measure cleanup nspawn-runner nsr_cleanup_n
n=130
# what the isolation costs: the same prepare and cleanup with the host's network and no user namespace
isolation_off=1 measure prepare_isolation_off nspawn-runner nsr_prepare_n
isolation_off=1 measure cleanup_isolation_off nspawn-runner nsr_cleanup_n
n=140
profile=1 measure prepare_profile nspawn-runner nsr_prepare_n
profile=1 measure cleanup_profile nspawn-runner nsr_cleanup_n
n=150
in_process=1 measure prepare in-process nsr_prepare_n
in_process=1 measure cleanup in-process nsr_cleanup_n

plain_prepare bp1
job_dir 1 > /dev/null && nsr 1 prepare
# what an admin's look at the running jobs costs: `jobs` (a JVM, the jobs dir, systemd's usage of
# each unit) beside machinectl's list
nsr_jobs_list() { "$cli" jobs --json > /dev/null; }
plain_jobs_list() { machinectl list --no-legend > /dev/null; }
measure jobs_list nspawn-runner nsr_jobs_list
measure jobs_list baseline plain_jobs_list
plain_stage_1() { plain_stage bp1; }
nsr_stage_1() { nsr 1 run "$script" build_script; }
measure run baseline plain_stage_1
measure run nspawn-runner nsr_stage_1
rss=$( (cd "$work/nsr/1" && env -i PATH="$PATH" JAVA_HOME="${JAVA_HOME:-}" BUILD_FAILURE_EXIT_CODE=1 \
  JOB_RESPONSE_FILE="$work/nsr/1/response.json" /usr/bin/time -f %M "$cli" run "$script" build_script 2>&1 >/dev/null) | tail -1)
emit run_peak_rss_kib nspawn-runner "$rss"
emit job_disk_kib baseline "$(du -sk "$work/plain/bp1" | cut -f1)"
emit job_disk_kib nspawn-runner "$(du -sk "$state/jobs/nsr-1" | cut -f1)"
plain_cleanup bp1
nsr 1 cleanup

n=200
plain_job_n() { plain_job "bj$((n + $1))"; }
nsr_job_n() { nsr_job $((n + $1)); }
measure job baseline plain_job_n
measure job nspawn-runner nsr_job_n
n=230
isolation_off=1 measure job_isolation_off nspawn-runner nsr_job_n
n=250
in_process=1 measure job in-process nsr_job_n

# CPU time of the whole machine (all cores, from /proc/stat) while one job runs alone: on C cores,
# N concurrent jobs that each keep the machine busy this long cannot each finish in under
# N / C x (CPU time / wall time) of their sequential time
busy_ms() {  # busy time of all cores since boot, in ms (USER_HZ is 100)
  local user nice system irq softirq steal
  read -r _ user nice system _ _ irq softirq steal _ < /proc/stat
  echo $(((user + nice + system + irq + softirq + steal) * 10))
}
job_cpu() {  # job_cpu METRIC IMPL JOB-FUNCTION
  local metric=$1 impl=$2 values=() before; shift 2
  for ((i = 1; i <= reps; i++)); do before=$(busy_ms); "$@" "$i"; values+=($(($(busy_ms) - before))); done
  emit "$metric" "$impl" "${values[@]}"
}
n=270
job_cpu job_cpu_ms baseline plain_job_n
job_cpu job_cpu_ms nspawn-runner nsr_job_n
n=290
in_process=1 job_cpu job_cpu_ms in-process nsr_job_n

concurrent() {  # concurrent IMPL: 8 jobs at once; appends the wall time and each job's time
  local impl=$1 start pids=() i in_process=
  if [ "$impl" = in-process ]; then in_process=1; fi
  start=$(now)
  for i in 1 2 3 4 5 6 7 8; do
    ( s=$(now); if [ "$impl" = baseline ]; then plain_job "bc$((n + i))"; else nsr_job $((n + i)); fi
      since "$s" > "$work/concurrent-$impl-$i" ) &
    pids+=($!)
  done
  wait "${pids[@]}"
  walls[$impl]+="${walls[$impl]:+,}$(since "$start")"
  for i in 1 2 3 4 5 6 7 8; do each[$impl]+="${each[$impl]:+,}$(cat "$work/concurrent-$impl-$i")"; done
}
# rounds alternate between the three, so that a noisy moment does not hit one side only
declare -A walls=() each=()
for ((round = 1; round <= reps; round++)); do
  for impl in baseline nspawn-runner in-process; do
    case $impl in baseline) n=$((1000 * round + 100)) ;; nspawn-runner) n=$((1000 * round + 200)) ;; *) n=$((1000 * round + 300)) ;; esac
    concurrent "$impl"
  done
done
for impl in baseline nspawn-runner in-process; do
  emit concurrent8_wall "$impl" "${walls[$impl]}"
  emit concurrent8_job "$impl" "${each[$impl]}"
done
# the resident service after all the jobs above: its memory now (VmRSS) and at its peak (VmHWM)
service_pid=$(systemctl show -P MainPID nspawn-runner.service)
while read -r key value _; do
  case $key in VmRSS:) emit service_rss_kib nspawn-runner "$value" ;; VmHWM:) emit service_peak_rss_kib nspawn-runner "$value" ;; esac
done < "/proc/$service_pid/status"
"$cli" service remove 2> /dev/null
rm -rf "$state/bench-host-dir"
# the first pull and unpack of a ~100 MB image, and a job on it: steps of their own (bench/run --only STEP)
bash "$(dirname "${BASH_SOURCE[0]}")/image-pull.sh" "$cli" "$chroot" "$work" "$reps"
bash "$(dirname "${BASH_SOURCE[0]}")/image-prepare.sh" "$cli" "$chroot" "$work" "$reps"
bash "$(dirname "${BASH_SOURCE[0]}")/job-calls.sh" "$cli" "$chroot" "$work" "$reps"
