#!/usr/bin/env bash
# scripts/deps.sh [--test]: install the Debian packages fairaudit needs, if
# any is missing. With --test, also those the test suite uses. As root it
# runs apt-get; otherwise it prints the exact command and exits 2.
set -euo pipefail

pkgs=(gcc make cmake pkg-config libcjson-dev libcsv-dev libgsl-dev zlib1g-dev nettle-dev)
if [ "${1:-}" = "--test" ]; then
  # python3-jsonschema: JSON Schema check of reports; libxml2-utils: xmllint;
  # groff-base: the man page rendered without warnings
  pkgs+=(python3 python3-jsonschema libxml2-utils gzip groff-base)
fi
if [ -n "${FA_EXTRA_PACKAGES:-}" ]; then
  read -r -a extra <<<"$FA_EXTRA_PACKAGES"
  pkgs+=("${extra[@]}")
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "fairaudit needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 2
fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
