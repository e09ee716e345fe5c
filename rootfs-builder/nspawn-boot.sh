# shellcheck shell=bash
# Boots a root filesystem with systemd-nspawn in the background and talks to it; sourced by
# rootfs-builder/lava-server-rootfs and bin/lava-server. There is no machined outside (PID 1 need
# not be systemd), so the container is not registered: it is reached with nsenter through the pid of
# its systemd, a direct child of systemd-nspawn.

# boot_container LOG NSPAWN-ARGS...: sets NSPAWN_PID and LEADER, returns once systemd has booted.
# nspawn runs in its own session with its output in LOG, so it outlives the calling script and
# holds none of its pipes open.
boot_container() {
  local log=$1 deadline state
  shift
  setsid systemd-nspawn --quiet --register=no --keep-unit --boot "$@" </dev/null >"$log" 2>&1 &
  NSPAWN_PID=$!
  LEADER=
  deadline=$((SECONDS + 30))
  while [ -z "$LEADER" ]; do
    kill -0 "$NSPAWN_PID" 2>/dev/null || { echo "systemd-nspawn exited:" >&2; cat "$log" >&2; return 1; }
    [ $SECONDS -lt $deadline ] || { echo "no systemd in the container after 30 s" >&2; return 1; }
    LEADER=$(pgrep -P "$NSPAWN_PID" -x systemd || true)
    [ -n "$LEADER" ] || sleep 0.05
  done
  # systemctl fails until systemd's bus is up, then waits for the end of the boot itself
  deadline=$((SECONDS + 120))
  until state=$(in_container systemctl is-system-running --wait 2>/dev/null) || [ "$state" = degraded ]; do
    [ $SECONDS -lt $deadline ] || { echo "container did not boot within 120 s (state: ${state:-none})" >&2; return 1; }
    sleep 0.2
  done
  [ "$state" = running ] || in_container systemctl --failed --no-legend >&2 || true
}

# in_container CMD...: runs CMD inside the booted container (all its namespaces, its root).
in_container() {
  nsenter --target="$LEADER" --all -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
}

# poweroff_container: clean shutdown, waits for systemd-nspawn to end (SIGKILL after 60 s).
poweroff_container() {
  local deadline=$((SECONDS + 60))
  in_container systemctl poweroff --no-block 2>/dev/null || kill -TERM "$LEADER" 2>/dev/null || true
  while kill -0 "$NSPAWN_PID" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      echo "container did not power off within 60 s: killing it" >&2
      kill -KILL "$NSPAWN_PID" 2>/dev/null || true
    fi
    sleep 0.2
  done
}
