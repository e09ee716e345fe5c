# shellcheck shell=bash
# A docker-registry on this host's 127.0.0.1 for the bench's image steps, and images pushed to it
# from a tree of the job chroot. Sourced by image-pull.sh and bench.sh.

registry=127.0.0.1:5050 registry_unit=bench-registry

registry_tools() {  # registry_tools STEP: ends STEP (exit 0, one line) on a host without the registry's tools
  local tool
  for tool in docker-registry skopeo umoci; do
    if ! command -v "$tool" > /dev/null; then
      echo "$1: no $tool on this host: no figures of this step" >&2
      exit 0
    fi
  done
}

registry_stop() {  # registry_stop WORK
  systemctl stop "$registry_unit" 2> /dev/null || true
  rm -rf "$1" /etc/containers/registries.conf.d/bench.conf /etc/docker/registry/bench.yml
}

registry_start() {  # registry_start WORK: a registry keeping its blobs in WORK/registry
  registry_stop "$1"
  mkdir -p "$1" /etc/containers/registries.conf.d /etc/docker/registry
  # plain http on loopback, as an admin says so to skopeo
  printf '[[registry]]\nlocation = "%s"\ninsecure = true\n' "$registry" > /etc/containers/registries.conf.d/bench.conf
  printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: %s\n' "$1/registry" "$registry" \
    > /etc/docker/registry/bench.yml
  systemd-run --quiet --unit="$registry_unit" docker-registry serve /etc/docker/registry/bench.yml
  for _ in $(seq 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$registry/v2/")" = 200 ] && return 0
    sleep 0.1
  done
  echo "registry.bash: the registry on $registry did not answer" >&2
  return 1
}

registry_push() {  # registry_push WORK CHROOT REFERENCE PATH...: PATHs of CHROOT as a one-layer image
  local work=$1 chroot=$2 reference=$3
  shift 3
  tar -C "$chroot" -cf "$work/layer.tar" "$@"
  (cd "$work" && umoci init --layout layout && umoci new --image layout:1 && umoci raw add-layer --image layout:1 layer.tar)
  skopeo copy -q "oci:$work/layout:1" "docker://$reference"
  rm -rf "$work/layer.tar" "$work/layout"
}
