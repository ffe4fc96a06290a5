#!/usr/bin/env bash
# The controlled experiments of docs/article (each a `kernelgen compare`, writing runs/article/<name>/compare.json,
# compare.csv and one run folder per architecture). Long: run it in the background, e.g.
#   nohup bash scripts/article-runs.sh budget permuted > runs/article.log 2>&1 &
# Names: budget (about 100k parameters each, all of MNIST, one epoch), permuted (the same on MNIST with its pixels
# permuted), pairs (the long-range digit-pairs task), data-1k / data-5k / data-20k (training-set size; the epochs
# keep the number of steps near one epoch of all 60,000 images, so only the amount of data changes).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${KERNELGEN_SKIP_BUILD:-0}" = "1" ] || dotnet build src/KernelGen.Cli -c Release -nologo -v q
k="${KERNELGEN_CLI:-src/KernelGen.Cli/bin/Release/net10.0/kernelgen}"
backend="${KERNELGEN_RUN_BACKEND:-webgpu}"
budget="${KERNELGEN_ARCHITECTURES:-mlp,cnn-100k,vit-100k,mixer}"   # KERNELGEN_ARCHITECTURES=a,b,c trains fewer
declare -A runs=(
  [budget]="--architectures $budget --data mnist --subset 60000 --epochs 1"
  [permuted]="--architectures $budget --data mnist-permuted --subset 60000 --epochs 1"
  [pairs]="--architectures mlp,cnn-gap,cnn-gap-nonlocal,cnn --data digit-pairs --subset 10000 --epochs 2"
  [data-1k]="--architectures $budget --data mnist --subset 1000 --epochs 60"
  [data-5k]="--architectures $budget --data mnist --subset 5000 --epochs 12"
  [data-20k]="--architectures $budget --data mnist --subset 20000 --epochs 3"
)
order=(budget permuted pairs data-20k data-5k data-1k)
[ $# -gt 0 ] && order=("$@")
mkdir -p runs/article
for name in "${order[@]}"; do
  echo "== kernelgen compare ${runs[$name]} --backend $backend --out runs/article/$name"
  # shellcheck disable=SC2086
  "$k" compare ${runs[$name]} --backend "$backend" --out "runs/article/$name"
done
