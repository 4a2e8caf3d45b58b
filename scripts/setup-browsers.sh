#!/usr/bin/env bash
# Makes sure the browser tests (test/e2e) have a Chromium: Debian's `chromium` package, installed with
# apt when it is missing (as scripts/setup-webgpu-driver.sh does for lavapipe). The tests drive it with
# playwright-core and never download a browser. NDGPU_CHROMIUM points them at another binary.
# Safe to run repeatedly; does nothing when the browser is there.
set -euo pipefail

chromium="${NDGPU_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  echo "setup-browsers: $("$chromium" --version 2>/dev/null || echo "$chromium") already installed"
  exit 0
fi
if [ -n "${NDGPU_CHROMIUM:-}" ]; then
  echo "setup-browsers: NDGPU_CHROMIUM=$NDGPU_CHROMIUM is not an executable" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-browsers: no apt-get here; install Chromium yourself and set NDGPU_CHROMIUM to its binary" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "setup-browsers: needs root to install Debian's chromium (run as root, or: sudo apt-get install chromium)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "setup-browsers: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
