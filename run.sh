#!/usr/bin/env bash
# The main command: installs what the machine lacks (Mesa's lavapipe, Dawn), then runs the kernelgen CLI.
#   ./run.sh            the main job: a short comparison (perceptron, MLP, CNN on 10,000 real MNIST images, one
#                       epoch, WebGPU where an adapter exists) that prints its table and writes runs/compare/
#   ./run.sh demo       dispatches the sample kernels on WebGPU and checks them against the CPU backend
#   ./run.sh <command>  any kernelgen command (./run.sh --help lists them)
set -euo pipefail
cd "$(dirname "$0")"
if [ "${KERNELGEN_SKIP_PREREQS:-0}" != "1" ]; then
  bash scripts/install-webgpu-prereqs.sh
fi
exec dotnet run --project src/KernelGen.Cli -c Release -- "${@:-compare}"
