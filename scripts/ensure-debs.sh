#!/bin/sh
# Install the Debian/Ubuntu packages given as arguments if any is missing.
# As root or with passwordless sudo it runs apt-get; otherwise it prints the exact command and fails.
set -eu
missing=""
for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "These system packages are needed:$missing"
    echo "This is not a Debian/Ubuntu system: install their equivalents with your package manager, then run make again."
    exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo"
else
    echo "These system packages are needed:$missing"
    echo "Run this once, then run make again:"
    echo "    sudo apt-get update && sudo apt-get install -y$missing"
    exit 1
fi
echo "Installing system packages:$missing"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
