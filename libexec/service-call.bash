# shellcheck shell=bash
# Hands gitlab-runner's config, prepare or cleanup call to the executor service (nspawn-runner
# service run) with busctl, so the call needs no JVM start; sourced by bin/nspawn-runner.
# service_call returns only when the service cannot take the call: the launcher then runs it in
# a JVM of its own, exactly as without a service.

service_call() {  # service_call VERB JAR: JAR absolute, as bin/nspawn-runner makes it
  local verb=$1 jar=$2 name=io.github.nspawnrunner.Executor1 reply code out err started
  # the service's working directory is /: relative paths are for a JVM started here
  case ${JOB_RESPONSE_FILE:-/} in /*) ;; *) return 0 ;; esac
  case ${NSPAWN_RUNNER_CONFIG:-/} in /*) ;; *) return 0 ;; esac
  # The environment (gitlab-runner's job variables, secrets among them) is no argument: arguments
  # are busctl's command line, which every local user can read. The service reads it from
  # busctl's /proc/PID/environ, which only root can (service/BusCallerLookup.java).
  # cleanup may take long on a busy host; gitlab-runner's own timeouts still apply to this process
  local -a call=(busctl --system --auto-start=no --timeout=3600 -- call "$name" /io/github/nspawnrunner/Executor1
    "$name" Call ss "$verb" "$jar")
  # not running (it exits when idle): start it and ask once more. systemctl returns once the
  # service holds its name, or says at once why it did not start
  local answered=
  if reply=$("${call[@]}" 2>&1); then
    answered=1
  elif [[ $reply == "Failed to connect to bus"* ]]; then
    # no bus, no service: the JVM, which needs the bus too, says so in one line
    return 0
  elif ! started=$(systemctl start nspawn-runner.service 2>&1); then
    reply="it did not start: ${started//$'\n'/ }"
  elif reply=$("${call[@]}" 2>&1); then
    answered=1
  fi
  if [ -n "$answered" ]; then
    # the call ran: never again in a JVM. Its answer is the line "(iss) CODE "OUT" "ERR"" (base64
    # needs no unescaping); anything else busctl printed (debug output, say) goes to stderr
    local line
    while IFS= read -r line; do
      case $line in
        '(iss) '*)
          read -r _ code out err <<<"$line"
          out=${out//\"/} err=${err//\"/}
          if [[ $code =~ ^-?[0-9]+$ ]]; then
            if [ -n "$out" ] && ! printf %s "$out" | base64 -d; then echo "nspawn-runner: error: undecodable output from the service" >&2; fi
            if [ -n "$err" ] && ! printf %s "$err" | base64 -d >&2; then echo "nspawn-runner: error: undecodable messages from the service" >&2; fi
            exit $((code & 255))
          fi
          ;;
        *) printf '%s\n' "$line" >&2 ;;
      esac
    done <<<"$reply"
    echo "nspawn-runner: error: the executor service ran '$verb' but its answer was unreadable; see 'journalctl -u nspawn-runner.service'" >&2
    exit "${SYSTEM_FAILURE_EXIT_CODE:-2}"
  fi
  echo "nspawn-runner: the executor service did not take '$verb' (${reply#Call failed: }); running it in a JVM of its own" >&2
}
