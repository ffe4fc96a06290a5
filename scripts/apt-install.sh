# Sourced by the install scripts: apt_install_missing WHAT PACKAGE... installs Debian packages quietly, refreshing the
# package lists only when the first try fails, and refuses with a clear message when it is not run as root.
apt_install_missing() {
  local what="$1"; shift
  if [ "$(id -u)" != "0" ]; then
    echo "error: $what is missing and installing it needs root." >&2
    echo "       Run this script as root: $0" >&2
    exit 1
  fi
  echo "Installing $what..."
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq "$@" >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq "$@" >/dev/null
  fi
}
