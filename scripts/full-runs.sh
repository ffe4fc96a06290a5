#!/usr/bin/env bash
# The full-data runs quoted in docs/models.md, one after another (each writes runs/<name>/metrics.jsonl and a log).
# Long: run it in the background, e.g. `nohup bash scripts/full-runs.sh > runs/full-runs.log 2>&1 &`.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/KernelGen.Cli -c Release -v q -nologo > /dev/null
k=src/KernelGen.Cli/bin/Release/net10.0/kernelgen
backend="${KERNELGEN_RUN_BACKEND:-cpu}"
mkdir -p runs
run() { local name=$1; shift; echo "== kernelgen train $* --backend $backend --out runs/$name"; "$k" train "$@" --backend "$backend" --out "runs/$name" | tee "runs/$name.log"; }
run perceptron perceptron --epochs 5 --lr 0.1
run mlp mlp --epochs 5 --lr 0.1 --momentum 0.9
run cnn cnn --epochs 2
run cnn-nonlocal cnn-nonlocal --epochs 2
