#!/usr/bin/env bash
# A bench step (bench.sh runs it; `bench/run --only image-prepare` runs it alone): prepare and
# cleanup of a job on a cached OCI image beside the same on the default chroot, through the
# executor service, as gitlab-runner calls them. The image is bash and the job chroot's ~100 MB
# of libraries, in a docker-registry on 127.0.0.1; every prepare still asks the registry for the
# tag's digest (pull_policy "always"). Rounds alternate chroot and image, so that a noisy moment
# does not hit one side only. In the table, "baseline" is the chroot and "nspawn-runner" the image.
#   image-prepare.sh CLI CHROOT_DIR WORK_DIR REPETITIONS
set -euo pipefail

cli=$1 chroot=$2 work=$3/image-prepare reps=$4
# shellcheck source=SCRIPTDIR/job.bash
. "$(dirname "${BASH_SOURCE[0]}")/job.bash"
# shellcheck source=SCRIPTDIR/registry.bash
. "$(dirname "${BASH_SOURCE[0]}")/registry.bash"
registry_tools image-prepare.sh

trap 'registry_stop "$work/registry"; "$cli" service remove 2> /dev/null || true' EXIT
"$cli" service install 2> /dev/null
registry_start "$work/registry"
mkdir -p "$work/nsr"
registry_push "$work/registry" "$chroot" "$registry/bench/shell:1" ./usr/bin/bash ./usr/lib/x86_64-linux-gnu ./usr/lib64 \
  ./bin ./lib ./lib64 > /dev/null
job_variables=() image=''

prepare_and_cleanup() {  # prepare_and_cleanup ID: appends the prepare's and the cleanup's times to prepares and cleanups
  local start
  job_dir "$1" > /dev/null
  start=$(now)
  nsr "$1" prepare || { echo "image-prepare.sh: the prepare of job $1 failed (image: ${image:-none})" >&2; exit 1; }
  prepares+=("$(since "$start")")
  start=$(now)
  nsr "$1" cleanup || { echo "image-prepare.sh: the cleanup of job $1 failed" >&2; exit 1; }
  cleanups+=("$(since "$start")")
  rm -rf "$work/nsr/$1"
}
prepares=() cleanups=()
image=$registry/bench/shell:1 prepare_and_cleanup 300  # the first pull
declare -A prepared=() cleaned=()
for ((i = 1; i <= reps; i++)); do
  for side in chroot image; do
    prepares=() cleanups=() image='' id=$((300 + 2 * i))
    if [ "$side" = image ]; then image=$registry/bench/shell:1 id=$((id + 1)); fi
    prepare_and_cleanup "$id"
    prepared[$side]+="${prepared[$side]:+,}${prepares[0]}" cleaned[$side]+="${cleaned[$side]:+,}${cleanups[0]}"
  done
done
emit prepare_image baseline "${prepared[chroot]}"
emit prepare_image nspawn-runner "${prepared[image]}"
emit cleanup_image baseline "${cleaned[chroot]}"
emit cleanup_image nspawn-runner "${cleaned[image]}"
