#!/usr/bin/env bash
# A bench step (`bench/run --only job-calls`): one whole trivial job through the executor
# service, as bench.sh's `job` row, with each of gitlab-runner's calls timed on its own (config,
# prepare, the nine stages by name, cleanup): where a job's time goes, call by call.
#   job-calls.sh CLI CHROOT_DIR WORK_DIR REPETITIONS
set -euo pipefail

cli=$1 work=$3/job-calls reps=$4
# shellcheck source=SCRIPTDIR/job.bash
. "$(dirname "${BASH_SOURCE[0]}")/job.bash"

trap '"$cli" service remove 2> /dev/null || true' EXIT
"$cli" service install 2> /dev/null
mkdir -p "$work/nsr"
script=$work/trivial-stage
trivial_stage "$script"
job_variables=()
declare -A times=()
timed() {  # timed NAME ID ARGS...: appends the call's time to times[NAME]
  local name=$1 start; shift
  start=$(now)
  nsr "$@" || { echo "job-calls.sh: $name of job $1 failed" >&2; exit 1; }
  times[$name]+="${times[$name]:+,}$(since "$start")"
}
for ((i = 0; i <= reps; i++)); do
  id=$((400 + i))
  job_dir "$id" > /dev/null
  timed config "$id" config
  timed prepare "$id" prepare
  for stage in "${stages[@]}"; do timed "$stage" "$id" run "$script" "$stage"; done
  timed cleanup "$id" cleanup
  rm -rf "$work/nsr/$id"
  if [ "$i" -eq 0 ]; then times=(); fi  # a warm-up job: the service's first call starts its JVM
done
for name in config prepare "${stages[@]}" cleanup; do
  emit "call_$name" nspawn-runner "${times[$name]}"
done
