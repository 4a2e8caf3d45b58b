#!/usr/bin/env bash
# Makes sure the browser tests (test/e2e) have their browsers: Debian's `chromium` (Dawn's WebGPU) and
# `firefox-esr` (wgpu's WebGPU), installed with apt when missing (as scripts/setup-webgpu-driver.sh does
# for lavapipe). The tests drive Chromium with playwright-core and run Firefox as a plain process; they
# never download a browser. NDGPU_CHROMIUM and NDGPU_FIREFOX point them at other binaries.
# Safe to run repeatedly; does nothing when the browsers are there.
set -euo pipefail

chromium="${NDGPU_CHROMIUM:-/usr/bin/chromium}"
firefox="${NDGPU_FIREFOX:-/usr/bin/firefox-esr}"

# The Debian packages still to install.
missing=()
if [ -x "$chromium" ]; then
  echo "setup-browsers: $("$chromium" --version 2>/dev/null || echo "$chromium") already installed"
elif [ -n "${NDGPU_CHROMIUM:-}" ]; then
  echo "setup-browsers: NDGPU_CHROMIUM=$NDGPU_CHROMIUM is not an executable" >&2
  exit 1
else
  missing+=(chromium)
fi
if [ -x "$firefox" ]; then
  echo "setup-browsers: $("$firefox" --version 2>/dev/null || echo "$firefox") already installed"
elif [ -n "${NDGPU_FIREFOX:-}" ]; then
  echo "setup-browsers: NDGPU_FIREFOX=$NDGPU_FIREFOX is not an executable" >&2
  exit 1
else
  missing+=(firefox-esr)
fi
if [ "${#missing[@]}" = 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-browsers: no apt-get here; install ${missing[*]} yourself and set NDGPU_CHROMIUM / NDGPU_FIREFOX to the binaries" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "setup-browsers: needs root to install Debian's ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core >/dev/null
for package in "${missing[@]}"; do
  case "$package" in
    chromium) echo "setup-browsers: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)" ;;
    firefox-esr) echo "setup-browsers: installed $(/usr/bin/firefox-esr --version 2>/dev/null || echo firefox-esr)" ;;
  esac
done
