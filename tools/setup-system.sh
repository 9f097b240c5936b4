#!/bin/sh
# Install the Debian/Ubuntu packages docflow needs, only those missing.
#   sh tools/setup-system.sh watch   LibreOffice (Writer, Calc) headless, python3-uno, fonts
#                                    with every Vietnamese glyph, poppler, python3-venv,
#                                    jemalloc (LibreOffice converts long lists faster with it)
#   sh tools/setup-system.sh test    the same, plus what the tests start: Samba, Redis,
#                                    PostgreSQL, Chromium and its driver
# As root it installs with apt-get; with password-less sudo it uses sudo; otherwise it prints
# the one command to run and exits 1. On a system without apt-get it says what to install and
# exits 0 (docflow then writes Word without PDF).
set -eu

what="${1:-watch}"
need="python3-venv libreoffice-writer-nogui libreoffice-calc-nogui python3-uno \
fonts-liberation2 fonts-liberation fonts-dejavu-core poppler-utils libjemalloc2"
if [ "$what" = "test" ]; then
    need="$need samba smbclient redis-server postgresql chromium chromium-driver"
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "docflow: máy này không dùng apt-get (không phải Debian/Ubuntu). Hãy tự cài LibreOffice,"
    echo "  Python có UNO, phông Liberation và poppler; thiếu chúng docflow chỉ xuất Word, không PDF."
    exit 0
fi

# Ubuntu ships Chromium under other package names.
if grep -qi '^ID=ubuntu' /etc/os-release 2>/dev/null; then
    need=$(echo "$need" | sed 's/\bchromium-driver\b/chromium-chromedriver/; s/\bchromium\b /chromium-browser /')
fi

missing=""
for pkg in $need; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
[ -z "$missing" ] && exit 0

command="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo"
else
    echo "docflow: máy còn thiếu các gói hệ thống:$missing"
    echo "Hãy chạy lệnh sau (cần quyền quản trị) rồi chạy lại lệnh make:"
    echo ""
    echo "    sudo apt-get update && sudo $command"
    echo ""
    exit 1
fi

echo "docflow: cài các gói hệ thống còn thiếu:$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086 # the package list is meant to split
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "docflow: đã cài xong."
