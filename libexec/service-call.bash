# shellcheck shell=bash
# Hands gitlab-runner's config, prepare or cleanup call to the executor service (nspawn-runner
# service run) with busctl, so the call needs no JVM start; sourced by bin/nspawn-runner.
# service_call returns only when the service cannot take the call: the launcher then runs it in
# a JVM of its own, exactly as without a service.

service_call() {
  local verb=$1 jar=$2 name=io.github.nspawnrunner.Executor1 reply code out err variable started
  # the service's working directory is /: relative paths are for a JVM started here
  case ${JOB_RESPONSE_FILE:-/} in /*) ;; *) return 0 ;; esac
  case ${NSPAWN_RUNNER_CONFIG:-/} in /*) ;; *) return 0 ;; esac
  case $jar in /*) ;; *) jar=$PWD/$jar ;; esac
  local -a environment=()
  for variable in $(compgen -e); do environment+=("$variable" "${!variable}"); done
  # "--": job variables are arguments here, and one may look like an option ("-rf").
  # cleanup may take long on a busy host; gitlab-runner's own timeouts still apply to this process
  local -a call=(busctl --system --auto-start=no --timeout=3600 -- call "$name" /io/github/nspawnrunner/Executor1
    "$name" Call 'sa{ss}s' "$verb" $((${#environment[@]} / 2)) "${environment[@]}" "$jar")
  # not running (it exits when idle): start it and ask once more. systemctl returns once the
  # service holds its name, or says at once why it did not start
  local answered=
  if reply=$("${call[@]}" 2>&1); then
    answered=1
  elif ! started=$(systemctl start nspawn-runner.service 2>&1); then
    reply="it did not start: ${started//$'\n'/ }"
  elif reply=$("${call[@]}" 2>&1); then
    answered=1
  fi
  if [ -n "$answered" ]; then
    # (iss) CODE "STDOUT-BASE64" "STDERR-BASE64": base64 needs no unescaping
    read -r _ code out err <<<"$reply"
    out=${out//\"/} err=${err//\"/}
    case $code in
      '' | *[!0-9]*) ;;
      *)
        if [ -n "$out" ]; then printf %s "$out" | base64 -d; fi
        if [ -n "$err" ]; then printf %s "$err" | base64 -d >&2; fi
        exit "$code"
        ;;
    esac
  fi
  echo "nspawn-runner: the executor service did not take '$verb' (${reply#Call failed: }); running it in a JVM of its own" >&2
}
