#!/usr/bin/env bash
# Idempotent set-up of a fresh Debian 12 machine for flagtree: the Debian
# packages (LLVM/MLIR 22 and build tools), the virtualenv .venv and the
# Python requirements. Does nothing that is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools
  libzstd-dev libffi-dev zlib1g-dev clang-format-22 ccache
  libclang-rt-22-dev # LLVM 22's AddressSanitizer runtime, for `make asan`
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$pkg")
done
if ((${#missing[@]})); then
  sudo=""
  [[ "$(id -u)" == 0 ]] || sudo=sudo
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv"
  python3 -m venv .venv
fi
if ! cmp -s requirements-dev.txt .venv/.requirements-installed; then
  echo "setup: installing Python requirements"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements-dev.txt
  cp requirements-dev.txt .venv/.requirements-installed
fi
