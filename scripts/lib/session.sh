# What demo.sh, soak.sh and bench.sh share: one lab, one tarpit process, a scratch folder, all
# removed when the script exits however it exits. Source it after setting `lab`; it sets `here`,
# `root`, `work` and `python`. A script with more to undo defines `session_extra_cleanup`.
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=$(mktemp -d)
python=/usr/bin/python3
[ -x "$python" ] || python=python3
tarpit_pid=

session_cleanup() {
  if [ -n "$tarpit_pid" ]; then
    kill -TERM "$tarpit_pid" 2>/dev/null && wait "$tarpit_pid" 2>/dev/null || true
  fi
  "$here/lab.sh" down "$lab" >/dev/null 2>&1 || true
  declare -F session_extra_cleanup >/dev/null && session_extra_cleanup
  rm -rf "$work"
}
trap session_cleanup EXIT
# The usual shell statuses for death by a signal, 128 + its number: INT is 2, TERM is 15.
trap 'exit 130' INT
trap 'exit 143' TERM
