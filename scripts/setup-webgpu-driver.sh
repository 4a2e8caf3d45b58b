#!/usr/bin/env bash
# Makes sure Node's WebGPU (Dawn, npm `webgpu`) finds an adapter on a machine without a GPU:
# installs Mesa's lavapipe Vulkan driver from Debian bookworm-backports (Debian 12's own Mesa 22
# is too old for Dawn). The backports source is derived from the machine's existing Debian apt
# entry, so no mirror host is hard-coded here. Safe to run repeatedly; does nothing when a recent
# lavapipe is already installed.
set -euo pipefail

have_recent_lavapipe() {
  local icd
  for icd in /usr/share/vulkan/icd.d/lvp_icd*.json; do
    [ -f "$icd" ] || continue
    local version
    version=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
    case "$version" in
      2[3-9].*|[3-9][0-9].*) return 0 ;;
    esac
  done
  return 1
}

if have_recent_lavapipe; then
  echo "setup-webgpu-driver: Mesa lavapipe $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers) already installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-webgpu-driver: no apt-get here; install a Vulkan driver (Mesa >= 23 lavapipe, or a GPU driver) yourself so that WebGPU finds an adapter" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "setup-webgpu-driver: needs root to install Mesa lavapipe from bookworm-backports (run as root, or install mesa-vulkan-drivers >= 23 yourself)" >&2
  exit 1
fi

codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
if [ "$codename" != bookworm ]; then
  echo "setup-webgpu-driver: this script knows Debian 12 (bookworm); found '${codename:-unknown}'. Install Mesa >= 23 (mesa-vulkan-drivers, libvulkan1) yourself." >&2
  exit 1
fi

target=/etc/apt/sources.list.d/ndgpu-backports.sources
if [ ! -f "$target" ]; then
  # Copy the URI of the machine's own Debian entry (deb822 or one-line format) and change the suite.
  uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ]; then
    uri=$(grep -hE '^deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | grep -E '[[:space:]]bookworm[[:space:]]' | grep -v security | awk '{print $2; exit}')
  fi
  if [ -z "$uri" ]; then
    echo "setup-webgpu-driver: found no Debian apt source to copy; add bookworm-backports yourself" >&2
    exit 1
  fi
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  {
    echo "Types: deb"
    echo "URIs: $uri"
    echo "Suites: bookworm-backports"
    echo "Components: main"
    [ -f "$keyring" ] && echo "Signed-By: $keyring"
  } > "$target"
  echo "setup-webgpu-driver: added bookworm-backports from $uri"
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
echo "setup-webgpu-driver: installed Mesa lavapipe $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
