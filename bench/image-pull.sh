#!/usr/bin/env bash
# A bench step (bench.sh runs it; `bench/run --only image-pull` runs it alone): the first pull and
# unpack of a ~100 MB image from a docker-registry on this host's 127.0.0.1, with skopeo and umoci
# by hand ("baseline"), with `nspawn-runner image pull` (a job's image) and with `nspawn-runner
# chroot pull` (a fleet host's chroot). Each repetition starts from an empty store. Then
# `image pull` of the image once it is in the store: what the command costs beside the transfer.
# Prints one JSON object per line, as bench.sh does.
#   image-pull.sh CLI CHROOT_DIR WORK_DIR REPETITIONS
set -euo pipefail

cli=$1 chroot=$2 work=$3/image-pull reps=$4

# shellcheck source=SCRIPTDIR/job.bash
. "$(dirname "${BASH_SOURCE[0]}")/job.bash"
# shellcheck source=SCRIPTDIR/registry.bash
. "$(dirname "${BASH_SOURCE[0]}")/registry.bash"
registry_tools image-pull.sh
image=$registry/bench/libs:1
trap 'registry_stop "$work"' EXIT
registry_start "$work"
# the image: the job chroot's shared libraries (~100 MB of real binaries) as one layer
registry_push "$work" "$chroot" "$image" ./usr/lib/x86_64-linux-gnu
emit image_pull_unpacked_kib nspawn-runner "$(du -sk "$chroot/usr/lib/x86_64-linux-gnu" | cut -f1)"
emit image_pull_compressed_kib nspawn-runner "$(du -sk "$work/registry" | cut -f1)"

measure() {  # measure METRIC IMPL COMMAND...: REPS timings of COMMAND (given the repetition number)
  local metric=$1 impl=$2 values=() start; shift 2
  for ((i = 1; i <= reps; i++)); do start=$(now); "$@" "$i" > /dev/null; values+=("$(since "$start")"); "$@" clean; done
  emit "$metric" "$impl" "${values[@]}"
}
by_hand() {  # what an admin would script: copy to an OCI layout, unpack it
  if [ "$1" = clean ]; then rm -rf "$work/hand"; return; fi
  mkdir -p "$work/hand" && skopeo copy -q "docker://$image" "oci:$work/hand/oci:1" && umoci raw unpack --image "$work/hand/oci:1" "$work/hand/rootfs"
}
image_pull() {
  if [ "$1" = clean ]; then rm -rf "$work/state"; return; fi
  NSPAWN_RUNNER_STATE_DIR=$work/state NSPAWN_RUNNER_IMAGE_REGISTRIES=$registry "$cli" image pull "$image" 2> /dev/null
}
chroot_pull() {
  if [ "$1" = clean ]; then rm -rf "$work/chroots"; return; fi
  NSPAWN_RUNNER_CHROOTS_DIR=$work/chroots "$cli" chroot pull "$image" libs 2> /dev/null
}
cached_pull() {  # the same command once the image is in the store: the JVM, the config and one manifest request
  [ "$1" = clean ] || image_pull "$1"
}
measure image_pull_100mb baseline by_hand
measure image_pull_100mb nspawn-runner image_pull
measure chroot_pull_100mb nspawn-runner chroot_pull
image_pull 0 > /dev/null
measure image_pull_cached nspawn-runner cached_pull
