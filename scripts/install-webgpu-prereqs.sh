#!/usr/bin/env bash
# Installs what the WebGPU backend needs on a CPU-only Debian 12 machine, only where it is missing:
#  - Mesa 25 (lavapipe, a Vulkan driver on the CPU) from bookworm-backports: Dawn rejects bookworm's own Mesa 22.
#  - the npm package that carries Dawn (libwebgpu_wrapper.so), via `npm ci` and its lock file.
# Then runs scripts/install-data.sh (MNIST, Fashion-MNIST, Tiny Shakespeare) and scripts/install-report-assets.sh (uPlot
# for the HTML reports, a font for the figures), so run.sh and test.sh get them too.
# Needs root for apt. Safe to run again: every step checks first.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

lavapipe_ok() {
  # Mesa >= 25 ships lvp with Vulkan 1.4; Debian 12's own lvp is 22.3.
  local icd
  for icd in /usr/share/vulkan/icd.d/lvp_icd*.json; do
    [ -f "$icd" ] || continue
    if dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -qE '^(2[5-9]|[3-9][0-9])\.'; then
      return 0
    fi
  done
  return 1
}

if ! lavapipe_ok || ! ldconfig -p | grep -q 'libvulkan.so.1'; then
  if [ "$(id -u)" != "0" ]; then
    echo "error: Mesa 25's lavapipe (package mesa-vulkan-drivers from bookworm-backports) is missing and" >&2
    echo "       installing it needs root. Run this script as root: $0" >&2
    exit 1
  fi
  echo "Installing Mesa 25 (lavapipe) and the Vulkan loader from bookworm-backports..."
  if [ ! -f /etc/apt/sources.list.d/backports.sources ]; then
    # Derive the backports source from the machine's own Debian source, so no host name is written here.
    sed -e 's/^Suites: bookworm bookworm-updates$/Suites: bookworm-backports/' -e '/^#/d' \
        /etc/apt/sources.list.d/debian.sources \
      | awk 'BEGIN{RS="";ORS="\n\n"} /bookworm-backports/' > /etc/apt/sources.list.d/backports.sources
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
fi

if [ ! -f "$here/native/node_modules/bun-webgpu-linux-x64/libwebgpu_wrapper.so" ]; then
  echo "Fetching Dawn (npm package bun-webgpu-linux-x64, pinned by native/package-lock.json)..."
  (cd "$here/native" && npm ci --no-audit --no-fund --silent)
fi
echo "WebGPU prerequisites: present."

# The data sets: both callers (run.sh, test.sh) need them, so they come with the prerequisites.
bash "$here/scripts/install-data.sh"

# What the reports need (src/KernelGen.Reports): its build embeds uPlot and fails without it.
bash "$here/scripts/install-report-assets.sh"
