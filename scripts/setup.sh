#!/usr/bin/env bash
# Installs what LaBreaSharp and its tests need on a fresh Debian/Ubuntu machine.
# Idempotent: packages already present are left alone, and apt is only asked when
# something is missing.
set -euo pipefail

packages=(
  libpcap0.8      # the capture library the binding loads (libpcap.so.0.8)
  tcpdump         # records fixtures, reads what the tarpit writes
  iproute2        # ip netns / veth / bridge for the test lab
  ethtool         # turns off checksum offload on lab veths, so captures carry real checksums
  iputils-ping    # ARP takeover test client
  iputils-arping  # gratuitous ARP from a host that appears later in the lab
  nmap            # scanner used by the lab tests
  hping3          # bounded SYN bursts
  curl            # a real Linux TCP client
  openssh-client  # a real SSH client
  netsniff-ng     # trafgen, for the flood benchmarks
  python3-scapy   # crafting odd frames in tests
  procps          # ps, pgrep
  nftables        # nft: the lab loads --print-firewall rules in the tarpit namespace
  time            # /usr/bin/time: peak RSS in scripts/bench.sh
  endlessh        # the SSH tarpit the banner behaviour is compared with, run only inside lab namespaces
  systemd         # systemd-analyze: the tests verify and score contrib/labreasharp.service
  logrotate       # logrotate -d: the tests check contrib/labreasharp.logrotate
)

if [ "$(id -u)" -ne 0 ]; then
  echo "setup.sh must run as root (it installs Debian packages): sudo scripts/setup.sh" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# endlessh's package starts a service listening on port 2222 of every interface: the lab runs its
# own endlessh inside a namespace, and the machine's real network must not get one. While
# installing, invoke-rc.d is told (policy-rc.d, exit 101) to start nothing.
policy=/usr/sbin/policy-rc.d
made_policy=
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=yes
fi
trap '[ -n "$made_policy" ] && rm -f "$policy"' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if command -v systemctl >/dev/null 2>&1; then
  systemctl disable --now endlessh.service >/dev/null 2>&1 || true
fi
echo "setup: done"
