#!/usr/bin/env bash
# Builds the labreasharp executable into out/labreasharp: one native binary (NativeAOT, Release,
# linux-x64) that needs no .NET runtime where it runs, only glibc and libpcap0.8.
# The native compiler's warnings are errors, except CommandLineParser's one known aggregate
# trim warning (IL2104; see src/LaBreaSharp/LaBreaSharp.csproj): any other warning fails the build.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! dotnet publish src/LaBreaSharp/LaBreaSharp.csproj -c Release -r linux-x64 -o out -nologo -v quiet >"$log" 2>&1; then
  cat "$log"
  exit 1
fi
unexpected=$(grep -E 'warning [A-Z]+[0-9]+' "$log" | grep -vE "warning IL2104: Assembly 'CommandLine' produced trim warnings" | sort -u || true)
if [ -n "$unexpected" ]; then
  echo "build.sh: the native build warned (only CommandLineParser's IL2104 is expected):"
  echo "$unexpected"
  exit 1
fi
# The debug symbols stay beside the binary for gdb and crash reports; nothing else is needed.
rm -f out/*.pdb
echo "built out/labreasharp ($(du -k out/labreasharp | cut -f1) KiB, native)"
