#!/usr/bin/env bash
# The test lab: a small network entirely inside network namespaces, on documentation
# addresses only (RFC 5737). Nothing in the machine's own namespace is touched.
#
#   lab.sh up   [PREFIX] [--vlan]       build it (PREFIX defaults to lbs-lab)
#   lab.sh down [PREFIX]                remove everything it made, processes included
#   lab.sh add-host PREFIX ROLE IP/LEN MAC
#                                       one more host on the switch; it announces itself
#                                       with gratuitous ARPs (arping -U) as it comes up
#
#   PREFIX-sw      the switch: bridge br0
#   PREFIX-scan    scanner  192.0.2.2   02:00:00:00:02:02  (route 198.51.100.0/24 via 192.0.2.1)
#   PREFIX-tarpit  tarpit   192.0.2.1   02:00:00:00:02:01
#   PREFIX-live    live     192.0.2.50  02:00:00:00:02:32
#   with --vlan:
#   PREFIX-vcl     a client 192.0.2.30  02:00:00:00:02:1e, untagged, behind
#   PREFIX-relay   an 802.1Q access port for VLAN 100 (this kernel has no 802.1Q devices,
#                  so scripts/lib/vlan-relay.py tags and untags in userspace)
#
# Offloads are off on every veth, so frames carry real checksums and real tags.
# If "up" fails or is interrupted, it removes what it had made.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/netns.sh"

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "lab.sh needs root (it creates network namespaces)" >&2; exit 1; }

command=${1:-}
prefix=${2:-lbs-lab}
case "$prefix" in lbs-*) ;; *) echo "lab.sh: the prefix must start with lbs- (got '$prefix')" >&2; exit 2 ;; esac

# lab_down PREFIX: the lab's namespaces go, and what runs in them (the VLAN relay, whatever a
# caller started) with them. The namespaces are not netns_add's: they outlive "lab.sh up".
lab_down() { netns_remove_prefix "$1-"; }

# attach ROLE IP/LEN MAC: a namespace PREFIX-ROLE whose eth0 is plugged into the switch. Its MAC
# and address are set before eth0 comes up: nothing leaves it with a random MAC or no address.
attach() {
  local role=$1 address=$2 mac=$3 ns="$prefix-$1"
  netns_make "$ns"
  veth_cable "$ns" eth0 "$prefix-sw" "p-$role"
  ip -n "$ns" link set eth0 address "$mac"
  ip -n "$prefix-sw" link set "p-$role" master br0 up
  ip -n "$ns" addr add "$address" dev eth0
  ip -n "$ns" link set eth0 up
}

python=/usr/bin/python3
[ -x "$python" ] || python=python3

case "$command" in
  up)
    vlan=no
    [ "${3:-}" = "--vlan" ] && vlan=yes
    lab_down "$prefix"
    # Until the lab is complete, leaving for any reason removes what was made. On EXIT, not ERR:
    # under set -e a command failing inside a function (attach) ends the script without running
    # an ERR trap. A signal leaves with the usual 128 + its number.
    trap 'echo "lab.sh: setting up failed; removing what was made" >&2; lab_down "$prefix"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    netns_make "$prefix-sw"
    # A plain switch: no iptables/arptables on bridged frames (br_netfilter, where the host has it
    # loaded, would otherwise run every frame through the IP hooks on the sending core).
    ip netns exec "$prefix-sw" sh -c 'for f in /proc/sys/net/bridge/bridge-nf-call-*; do [ -e "$f" ] && echo 0 >"$f"; done; true'
    ip -n "$prefix-sw" link add br0 type bridge mcast_snooping 0
    ip -n "$prefix-sw" link set br0 up
    attach scan 192.0.2.2/24 02:00:00:00:02:02
    attach tarpit 192.0.2.1/24 02:00:00:00:02:01
    attach live 192.0.2.50/24 02:00:00:00:02:32
    ip -n "$prefix-scan" route add 198.51.100.0/24 via 192.0.2.1

    if [ "$vlan" = yes ]; then
      # IPv6 stays on in the relay's namespace, as it always has here.
      netns_make "$prefix-relay" --keep-ipv6
      veth_cable "$prefix-relay" trunk "$prefix-sw" p-relay
      ip -n "$prefix-sw" link set p-relay master br0 up
      netns_make "$prefix-vcl"
      veth_cable "$prefix-vcl" eth0 "$prefix-relay" access
      ip -n "$prefix-vcl" link set eth0 address 02:00:00:00:02:1e
      ip -n "$prefix-relay" link set trunk up
      ip -n "$prefix-relay" link set access up
      ip -n "$prefix-vcl" link set eth0 up
      ip -n "$prefix-vcl" addr add 192.0.2.30/24 dev eth0
      ip netns exec "$prefix-relay" setsid "$python" "$here/lib/vlan-relay.py" access trunk 100 3600 </dev/null >/dev/null 2>&1 &
    fi
    trap - EXIT INT TERM
    echo "lab $prefix is up: $(netns_list_prefix "$prefix-" | wc -l) namespaces"
    ;;
  down)
    lab_down "$prefix"
    echo "lab $prefix is down"
    ;;
  add-host)
    [ $# -eq 5 ] || usage
    role=$3
    netns_exists "$prefix-sw" || { echo "lab.sh: lab $prefix is not up" >&2; exit 1; }
    # Checked first, so that the cleanup below only ever removes a namespace made here.
    if netns_exists "$prefix-$role"; then
      echo "lab.sh: $prefix-$role already exists" >&2
      exit 1
    fi
    # As for "up": on EXIT, so that a failure inside attach removes the half-made host too.
    trap 'ip netns del "$prefix-$role" 2>/dev/null || true' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    attach "$role" "$4" "$5"
    # Announce the address as a host does when it comes up. (The kernel's own arp_notify
    # announcement goes out before a veth's queue is running and is lost, so say it once the
    # link is up.)
    wait_for 5 sh -c "ip -n '$prefix-$role' -br link show eth0 | grep -q ' UP '"
    ip netns exec "$prefix-$role" arping -q -U -c 2 -w 2 -I eth0 "${4%/*}" || true
    trap - EXIT INT TERM
    ;;
  *)
    usage
    ;;
esac
