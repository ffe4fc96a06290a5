#!/usr/bin/env bash
# The main command: installs what the machine lacks (Mesa's lavapipe, Dawn), then runs the kernelgen CLI.
#   ./run.sh            the demo: prints the WebGPU adapter, dispatches the sample kernels, checks them against the CPU
#   ./run.sh adapter    prints the adapter only
set -euo pipefail
cd "$(dirname "$0")"
if [ "${KERNELGEN_SKIP_PREREQS:-0}" != "1" ]; then
  bash scripts/install-webgpu-prereqs.sh
fi
exec dotnet run --project src/KernelGen.Cli -c Release -- "${@:-demo}"
