# Helpers for scripts that build throwaway networks in namespaces. Source it; call
# netns_cleanup_on_exit once, then netns_add for each namespace: every namespace made
# through netns_add is deleted when the script exits, however it exits.
# Only documentation addresses (RFC 5737) are ever configured.

_netns_made=()
_netns_pids=()

netns_add() {
  local ns=$1
  ip netns del "$ns" 2>/dev/null || true
  ip netns add "$ns"
  _netns_made+=("$ns")
  ip -n "$ns" link set lo up
  # IPv4 only: no IPv6 router solicitations or listener reports in captures and tests.
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true
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

# veth_pair NS_A IF_A NS_B IF_B: a cable between two namespaces, offloads off so that
# captures carry the checksums and VLAN tags that are really on the wire.
veth_pair() {
  local nsa=$1 ifa=$2 nsb=$3 ifb=$4
  ip link add "$ifa" netns "$nsa" type veth peer name "$ifb" netns "$nsb"
  for side in "$nsa:$ifa" "$nsb:$ifb"; do
    ip netns exec "${side%%:*}" ethtool -K "${side#*:}" tx off rx off txvlan off rxvlan off >/dev/null 2>&1 || true
    ip -n "${side%%:*}" link set "${side#*:}" up
  done
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
