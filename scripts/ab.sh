#!/usr/bin/env bash
# Is a change slower? The engine benchmarks of this checkout against those of another commit,
# in one process, in alternating slices (bench/LaBreaSharp.AbHarness), both ways round (the
# harness favours one side by a few percent), pinned to core 1. Prints new/old per benchmark:
# the median ratio of slice pairs each way, and their geometric mean. No root needed.
#
#   scripts/ab.sh REF [SECONDS] [METHOD...]     e.g. scripts/ab.sh HEAD~3 20 SynToSynAckBatched
#   (METHOD: an EngineBenchmarks method; default: the batched SYN and probe paths)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
ref=$1; seconds=${2:-20}; shift $(( $# >= 2 ? 2 : 1 ))
methods=("${@:-SynToSynAckBatched}")
[ $# -gt 0 ] || methods=(SynToSynAckBatched ProbeToAckBatched)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

old=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$old" >/dev/null 2>&1 || rm -rf "$old"' EXIT
git -C "$root" worktree add -q --detach "$old" "$ref"
build() { dotnet build "$1/bench/LaBreaSharp.Benchmarks" -c Release -nologo -v quiet >/dev/null; }
build "$old"
build "$root"
dotnet build "$root/bench/LaBreaSharp.AbHarness" -c Release -nologo -v quiet >/dev/null
harness="$root/bench/LaBreaSharp.AbHarness/bin/Release/net10.0/LaBreaSharp.AbHarness.dll"
a="$old/bench/LaBreaSharp.Benchmarks/bin/Release/net10.0"
b="$root/bench/LaBreaSharp.Benchmarks/bin/Release/net10.0"
for method in "${methods[@]}"; do
  forward=$(taskset -c 1 dotnet "$harness" "$a" "$b" "$method" "$seconds")
  backward=$(taskset -c 1 dotnet "$harness" "$b" "$a" "$method" "$seconds")
  x=$(sed 's/.*median \([0-9.]*\).*/\1/' <<<"$forward")
  y=$(sed 's/.*median \([0-9.]*\).*/\1/' <<<"$backward")
  printf '%-22s new/old %.3f (new second), %.3f (new first), geometric mean %.3f\n' "$method" \
    "$x" "$(awk "BEGIN {print 1 / $y}")" "$(awk "BEGIN {print sqrt($x / $y)}")"
done
