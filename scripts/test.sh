#!/usr/bin/env bash
# Runs every test project and ends with one line: "N passed, N failed[, N skipped]",
# counted from the test results themselves. Exit code is non-zero on any failure.
# Tests that need root skip themselves without it (and say so); under CI=true a skipped
# test fails the run, because CI runs as root and must run them all.
#
#   scripts/test.sh                   every project under tests/
#   scripts/test.sh PROJECT_NAME...   only these, e.g. LaBreaSharp.Core.Tests (for working on
#                                     one project without the minutes the Lab tests take);
#                                     refused under CI=true, since CI must run everything
# No "set -e": a failing test project must not stop the others, so every step checks for itself.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

mapfile -t projects < <(find tests -name '*.Tests.csproj' | sort)
if [ ${#projects[@]} -eq 0 ]; then
  echo "test.sh: no test projects found under tests/"
  echo "0 passed, 1 failed"
  exit 1
fi
if [ $# -gt 0 ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "test.sh: under CI=true every project runs; a subset ($*) is refused"
    echo "0 passed, 1 failed"
    exit 1
  fi
  chosen=()
  for name in "$@"; do
    found=
    for project in "${projects[@]}"; do
      [ "$(basename "$project" .csproj)" = "$name" ] && found=$project
    done
    if [ -z "$found" ]; then
      echo "test.sh: no test project named '$name'; there are: $(for p in "${projects[@]}"; do basename "$p" .csproj; done | paste -sd ' ' -)"
      echo "0 passed, 1 failed"
      exit 1
    fi
    case " ${chosen[*]-} " in *" $found "*) ;; *) chosen+=("$found") ;; esac
  done
  projects=("${chosen[@]}")
fi

if [ "$(id -u)" -eq 0 ]; then
  scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
else
  echo "test.sh: not root: setup skipped, and tests that need root will be skipped (run with sudo for all of them)"
fi

if ! scripts/build.sh; then
  echo "test.sh: build of out/labreasharp failed"
  echo "0 passed, 1 failed"
  exit 1
fi
if ! dotnet build LaBreaSharp.sln -c Release -nologo -v quiet; then
  echo "test.sh: build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# count_results TRX...: prints "PASSED FAILED SKIPPED" from the tests' own results, and names each
# failed or skipped test on stderr. Any outcome but Passed or NotExecuted is a failure.
count_results() {
  python3 - "$@" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in sys.argv[1:]:
    for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", ns):
        outcome = result.get("outcome")
        if outcome == "Passed":
            passed += 1
        elif outcome == "NotExecuted":
            skipped += 1
            sys.stderr.write(f"skipped: {result.get('testName')}\n")
        else:
            failed += 1
            sys.stderr.write(f"FAILED: {result.get('testName')}\n")
print(passed, failed, skipped)
PY
}

results=TestResults
rm -rf "$results"
mkdir -p "$results"
aborted=0
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" --blame-hang-timeout 10m \
    --results-directory "$results" 2>&1 | { grep -vE '^\s*$|^\s+(Passed|Skipped) ' || true; }
  # dotnet test's own exit code: the filter's "|| true" is inside the pipeline, so it neither
  # resets PIPESTATUS (as "pipeline || true" would, leaving rc 0 always) nor fails when grep
  # has no line to print.
  rc=${PIPESTATUS[0]}
  trx="$results/$name.trx"
  if [ ! -s "$trx" ]; then
    echo "test.sh: $name produced no results (exit code $rc): counted as one failure"
    aborted=$((aborted + 1))
  elif [ "$rc" -ne 0 ]; then
    # Is the exit code explained by a failed test? Only the tests' own results can say: the
    # file's summary reads outcome="Failed" for a run whose test host crashed, too.
    if ! counts=$(count_results "$trx" 2>/dev/null); then
      echo "test.sh: $name exited $rc and its results cannot be read: counted as one failure"
      aborted=$((aborted + 1))
    elif read -r _ project_failed _ <<<"$counts" && [ "$project_failed" -eq 0 ]; then
      echo "test.sh: $name exited $rc with no failed test recorded (test host crash?): counted as one failure"
      aborted=$((aborted + 1))
    fi
  fi
done

# Not "read ... < <(count_results ...)": that would lose the counter's exit code, and a file it
# cannot read would leave the counts empty and the run green.
shopt -s nullglob
if ! counts=$(count_results "$results"/*.trx); then
  echo "test.sh: the test results cannot be read: counted as one failure"
  counts="0 0 0"
  aborted=$((aborted + 1))
fi
read -r passed failed skipped <<<"$counts"
failed=$((failed + aborted))

status=0
[ "$failed" -gt 0 ] && status=1
if [ "${CI:-}" = "true" ] && [ "$skipped" -gt 0 ]; then
  echo "test.sh: $skipped test(s) skipped under CI=true; CI runs as root and must run every test"
  status=1
fi

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
exit $status
