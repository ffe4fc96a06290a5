#!/usr/bin/env bash
# Installs what src/KernelGen.Reports needs, only where it is missing:
#  - uPlot, the charting library inlined into HTML reports: the npm package uplot (exactly 1.6.32, pinned with its
#    integrity hash by src/KernelGen.Reports/web/package-lock.json), via `npm ci` into web/node_modules. The build
#    embeds its dist/uPlot.iife.min.js and dist/uPlot.min.css and fails with this script's name when they are missing.
#  - a TrueType font for the figures' text: SkiaSharp's NoDependencies build reads /usr/share/fonts itself (no
#    fontconfig); Debian's fonts-dejavu-core gives it DejaVu Sans.
# Needs root for apt (only when no font is installed). Safe to run again: every step checks first.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=apt-install.sh
source "$here/scripts/apt-install.sh"

web="$here/src/KernelGen.Reports/web"
if [ ! -s "$web/node_modules/uplot/dist/uPlot.iife.min.js" ] || [ ! -s "$web/node_modules/uplot/dist/uPlot.min.css" ]; then
  echo "Fetching uPlot (npm package uplot, pinned by src/KernelGen.Reports/web/package-lock.json)..."
  (cd "$web" && npm ci --no-audit --no-fund --silent)
fi

if ! find /usr/share/fonts -name '*.ttf' -print -quit 2>/dev/null | grep -q .; then
  apt_install_missing "a TrueType font for the figures (Debian package fonts-dejavu-core)" fonts-dejavu-core
fi
echo "Report assets: present."
