#!/usr/bin/env bash
# Installs the Debian packages the cycle benchmark runs against (nginx serves the pages,
# urlwatch is the reference client, time(1) measures peak RSS), only if they are missing.
# Idempotent; quiet on success.
# Usage: scripts/ensure-debian.sh [package ...]   (default: nginx urlwatch time)
set -euo pipefail

packages=("$@")
if [ ${#packages[@]} -eq 0 ]; then packages=(nginx urlwatch time); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else
    echo "ensure-debian: ${missing[*]} not installed and not running as root; install them with: apt-get install ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=()
fi

export DEBIAN_FRONTEND=noninteractive
echo "ensure-debian: installing ${missing[*]}" >&2
# The package lists may be absent on a fresh machine; update once, then install.
# Output is kept aside and shown only if something fails.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"${SUDO[@]}" apt-get update -qq >"$log" 2>&1 || { cat "$log" >&2; echo "ensure-debian: apt-get update failed" >&2; exit 1; }
# policy-rc.d keeps the nginx package from starting a system-wide server on port 80:
# the benchmark runs its own nginx on a free loopback port.
created_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee /usr/sbin/policy-rc.d >/dev/null
  "${SUDO[@]}" chmod +x /usr/sbin/policy-rc.d
  created_policy=1
fi
status=0
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1 || status=$?
if [ $created_policy -eq 1 ]; then "${SUDO[@]}" rm -f /usr/sbin/policy-rc.d; fi
if [ $status -ne 0 ]; then
  cat "$log" >&2
  echo "ensure-debian: apt-get install ${missing[*]} failed (exit $status); output above" >&2
  exit $status
fi
