#!/usr/bin/env bash
# Installs the Debian 12 packages Brokerdesk needs to build, test and run its demo.
# Only packages that are missing are installed; nothing is downloaded from outside Debian.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools
    qt6-l10n-tools qt6-qpa-plugins libgl-dev libqt6opengl6-dev libxkbcommon-dev
    libqt6sql6-sqlite libsqlite3-dev libhiredis-dev nlohmann-json3-dev libsimdjson-dev zlib1g-dev qtkeychain-qt6-dev libssh2-1-dev
    redis-server redis-tools openssl
    python3 python3-celery python3-redis python3-msgpack
    xvfb xauth xdotool imagemagick fonts-dejavu-core
    clang libclang-rt-14-dev clang-format
)

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-deps: this script installs Debian packages; on other systems install the" \
         "equivalents of: ${packages[*]}" >&2
    exit 0
fi

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
    [[ "$status" == ii* ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
    sudo_cmd=(sudo -n)
    if ! sudo -n true 2>/dev/null; then
        sudo_cmd=(sudo)
    fi
fi
"${sudo_cmd[@]}" apt-get update -qq
# Services must not start at install time (redis-server's own unit would take port 6379).
DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 "${sudo_cmd[@]}" \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
