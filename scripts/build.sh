#!/usr/bin/env bash
# Builds the labreasharp executable into out/labreasharp (Release, framework-dependent).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet publish src/LaBreaSharp/LaBreaSharp.csproj -c Release -o out -nologo -v quiet
echo "built out/labreasharp"
