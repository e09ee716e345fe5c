# shellcheck shell=bash
# Appended to the completion script picocli generates: the chroot names that 'chroot login',
# 'chroot remove', 'chroot upgrade' and 'chroot follow' take, read from chroots_dir (bin/build-deb
# calls this from those commands' completion functions). picocli's own candidates are fixed at
# build time.

_nspawn_runner_chroot_names() {
  local dir=/var/lib/nspawn-runner/chroots config=${NSPAWN_RUNNER_CONFIG:-/etc/nspawn-runner/nspawn-runner.toml}
  local set i operands=0 entry
  if [ -n "${NSPAWN_RUNNER_CHROOTS_DIR:-}" ]; then
    dir=$NSPAWN_RUNNER_CHROOTS_DIR
  elif [ -r "$config" ]; then
    set=$(sed -n 's/^[[:space:]]*chroots_dir[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$config")
    dir=${set:-$dir}
  fi
  # only the NAME: the first operand after "nspawn-runner chroot VERB"
  for ((i = 3; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      -c | --config | --script) i=$((i + 1)) ;;
      -*) ;;
      *) operands=$((operands + 1)) ;;
    esac
  done
  [ "$operands" -eq 0 ] || return 0
  # hidden entries (.versions) are no chroots
  for entry in "$dir"/*; do
    if [ -e "$entry" ]; then printf '%s\n' "${entry##*/}"; fi
  done
}
