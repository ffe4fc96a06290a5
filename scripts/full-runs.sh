#!/usr/bin/env bash
# The full-data runs quoted in docs/models.md, one after another (each writes runs/<name>/metrics.jsonl and a log).
# Long: run it in the background, e.g. `nohup bash scripts/full-runs.sh > runs/full-runs.log 2>&1 &`.
# Pass names to run only some: `bash scripts/full-runs.sh mlp cnn`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${KERNELGEN_SKIP_BUILD:-0}" = "1" ] || dotnet build src/KernelGen.Cli -c Release -nologo -v q
k="${KERNELGEN_CLI:-src/KernelGen.Cli/bin/Release/net10.0/kernelgen}"
backend="${KERNELGEN_RUN_BACKEND:-cpu}"
mkdir -p runs
declare -A runs=(
  [perceptron]="perceptron --epochs 10 --optimizer sgd --lr 0.1"
  [mlp]="mlp --epochs 10 --optimizer adamw --lr 0.001"
  [mlp-deep]="mlp-deep --epochs 10 --optimizer adamw --lr 0.001"
  [cnn]="cnn --epochs 2 --optimizer adamw --lr 0.002"
  [cnn-nonlocal]="cnn-nonlocal --epochs 2 --optimizer adamw --lr 0.002"
  [resnet20-fashion]="resnet20 --data fashion --epochs 3 --optimizer adamw --lr 0.002"
  [plain20-fashion]="plain20 --data fashion --epochs 3 --optimizer adamw --lr 0.002"
  [resnet20-fashion-6k]="resnet20 --data fashion --subset 6000 --epochs 2 --optimizer adamw --lr 0.002"
  [plain20-fashion-6k]="plain20 --data fashion --subset 6000 --epochs 2 --optimizer adamw --lr 0.002"
  [vit]="vit --epochs 2 --optimizer adamw --lr 0.002"
  [mixer]="mixer --epochs 2 --optimizer adamw --lr 0.002"
  [gpt]="gpt --steps 2000 --layers 4 --heads 4 --width 128 --context 64 --batch 32 --lr 0.001"
  [gpt-4l]="gpt --steps 2000 --layers 4 --heads 4 --width 128 --context 64 --batch 16 --lr 0.002 --checkpoint-every 250"
  [gpt-small]="gpt --steps 1500 --layers 2 --heads 4 --width 128 --context 64 --batch 16 --lr 0.002"
)
order=(perceptron mlp mlp-deep cnn cnn-nonlocal resnet20-fashion plain20-fashion vit mixer gpt)   # the full set (hours here)
[ $# -gt 0 ] && order=("$@")
for name in "${order[@]}"; do
  echo "== kernelgen train ${runs[$name]} --backend $backend --out runs/$name"
  # shellcheck disable=SC2086
  "$k" train ${runs[$name]} --backend "$backend" --out "runs/$name" | tee "runs/$name.log"
done
