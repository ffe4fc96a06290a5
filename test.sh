#!/usr/bin/env bash
# The test command. Installs what the machine lacks (Mesa's lavapipe, Dawn), builds, runs every test project, and
# ends with one line "Tests: N passed, N failed, N skipped" summed over dotnet test's per-assembly summaries.
# Exits non-zero when anything fails or when no test ran.
set -uo pipefail
cd "$(dirname "$0")"

if [ "${KERNELGEN_SKIP_PREREQS:-0}" != "1" ]; then
  bash scripts/install-webgpu-prereqs.sh || { echo "Tests: 0 passed, 1 failed, 0 skipped"; exit 1; }
fi
# WebGPU tests skip only where no adapter exists and this is not set; here the prerequisites are installed,
# so a missing adapter is a failure, not a skip.
export KERNELGEN_REQUIRE_WEBGPU="${KERNELGEN_REQUIRE_WEBGPU:-1}"

log="$(mktemp)"
dotnet test KernelGen.slnx -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

read -r passed failed skipped < <(awk '
  /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
    line = $0
    gsub(/[^0-9,]/, " ", line)       # keep the numbers: Failed, Passed, Skipped, Total, ...
    split(line, n, ",")
    f += n[1]; p += n[2]; s += n[3]
  }
  # A crashed test host prints a "Passed!" line for the tests that ran before the crash, then this: one failure.
  /^Test Run Aborted/ { f += 1 }
  END { printf "%d %d %d\n", p, f, s }' "$log")
rm -f "$log"

echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
