#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs every Debian 12 package tattle needs to build, test and benchmark. Idempotent: packages that
# are already installed are left alone, and apt is only asked when something is missing.
set -euo pipefail

packages=(
    # toolchain
    build-essential cmake ninja-build pkg-config clang-format git
    # libraries (see README "Libraries")
    libboost-regex-dev libsqlite3-dev sqlite3 libcurl4-openssl-dev zlib1g-dev libzstd-dev
    nlohmann-json3-dev libcli11-dev libhowardhinnant-date-dev libdate-tz3 tzdata
    # the desktop app (tattle-gui): Qt 6 Widgets and Charts, QtKeychain, Linguist tools for the translations,
    # and the validators of its .desktop file and AppStream metadata
    qt6-base-dev qt6-charts-dev qtkeychain-qt6-dev qt6-tools-dev qt6-l10n-tools qt6-tools-dev-tools libgl-dev
    desktop-file-utils appstream-util
    # tests and benchmarks
    libgtest-dev libgmock-dev libbenchmark-dev python3 time fwlogwatch gawk
    # reports tests: a real SMTP server on loopback, a YAML reader, a throwaway TLS certificate
    python3-aiosmtpd python3-yaml openssl
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#packages[@]} packages present"
    exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
