# Helpers for scripts that build throwaway networks in namespaces. Source it; call
# netns_cleanup_on_exit once, then netns_add for each namespace: every namespace made
# through netns_add is deleted when the script exits, however it exits. Namespaces that must
# outlive the script (scripts/lab.sh's) are made with netns_make and removed by name with
# netns_remove_prefix.
# Only documentation addresses (RFC 5737) are ever configured.

_netns_made=()
_netns_pids=()

# _netns_init NS: lo up; IPv4 only, so no IPv6 router solicitations or listener reports in
# captures and tests (a kernel without IPv6 has nothing to turn off, hence "|| true").
_netns_init() {
  ip -n "$1" link set lo up
  ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true
}

# netns_add NS: a fresh namespace (an old one of that name goes first), deleted at exit.
netns_add() {
  local ns=$1
  ip netns del "$ns" 2>/dev/null || true
  ip netns add "$ns"
  _netns_made+=("$ns")
  _netns_init "$ns"
}

# netns_make NS [--keep-ipv6]: a namespace as netns_add makes it, but NOT deleted at exit, for
# one that outlives the script; fails if NS exists. --keep-ipv6 leaves IPv6 on (lo still up).
netns_make() {
  ip netns add "$1"
  if [ "${2:-}" = --keep-ipv6 ]; then
    ip -n "$1" link set lo up
  else
    _netns_init "$1"
  fi
}

# netns_exists NS: whether a namespace of that name exists.
netns_exists() { ip netns list | awk -v name="$1" '$1 == name { found = 1 } END { exit !found }'; }

# netns_list_prefix PREFIX: the namespaces whose names start with PREFIX (a plain string, not
# a pattern), one a line.
netns_list_prefix() { ip netns list | awk -v prefix="$1" 'index($1, prefix) == 1 { print $1 }'; }

# netns_remove_prefix PREFIX: deletes every namespace whose name starts with PREFIX, and first
# what runs in them: TERM to all, a moment to go, then KILL for what is left.
netns_remove_prefix() {
  local ns
  for ns in $(netns_list_prefix "$1"); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
  done
  sleep 0.1
  for ns in $(netns_list_prefix "$1"); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
}

# netns_track_pid PID: killed at exit too.
netns_track_pid() { _netns_pids+=("$1"); }

netns_cleanup() {
  local p ns
  for p in "${_netns_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${_netns_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for ns in "${_netns_made[@]}"; do
    # Kill anything still running inside, then delete it.
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  _netns_made=()
  _netns_pids=()
}

netns_cleanup_on_exit() {
  trap netns_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# veth_offloads_off NS IF: no checksum or VLAN offload, so that captures carry the checksums
# and VLAN tags that are really on the wire.
veth_offloads_off() {
  ip netns exec "$1" ethtool -K "$2" tx off rx off txvlan off rxvlan off >/dev/null 2>&1 || true
}

# veth_cable NS_A IF_A NS_B IF_B: a cable between two namespaces, offloads off, both ends left
# down, for a caller that sets a MAC, an address or a bridge port before a link comes up.
veth_cable() {
  ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
  veth_offloads_off "$1" "$2"
  veth_offloads_off "$3" "$4"
}

# veth_pair NS_A IF_A NS_B IF_B: a cable as veth_cable lays it, both ends up.
veth_pair() {
  veth_cable "$@"
  ip -n "$1" link set "$2" up
  ip -n "$3" link set "$4" up
}

# wait_for TIMEOUT_SECONDS COMMAND...: polls until COMMAND succeeds; fails on timeout.
wait_for() {
  local limit=$1; shift
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.1
  done
}
