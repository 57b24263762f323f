#!/usr/bin/env bash
# Installs the system packages the build, the mount and its tests need, from Debian, if any is missing:
# asciidoctor (the build turns the man pages picocli writes into troff),
# fuse + libfuse2 (jnr-fuse binds libfuse 2), attr (getfattr), rsync, python3 (test writers),
# python3-torch + python3-torchvision + python3-pil (ImageFolder and PIL on the mount; tests run them
# with /usr/bin/python3), squashfs-tools + squashfuse (read-only shared storage), systemd
# (systemd-analyze checks the unit files in packaging/systemd), gcc + linux-libc-dev (a test compiles
# the kernel's FUSE header to check the protocol's structs against it), nginx (the web server the tests of
# http:// archives serve them from; the tests start it themselves, on loopback), curl + wget (clients
# of barecat serve in its tests), chromium + chromium-driver (the browser test of serve's web page).
set -euo pipefail
packages=(fuse libfuse2 attr rsync python3 asciidoctor python3-torch python3-torchvision python3-pil squashfs-tools
  squashfuse systemd gcc libc6-dev linux-libc-dev nginx curl wget chromium chromium-driver)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ! -e /dev/fuse ]; then
  echo "install-deps: /dev/fuse is missing: load the fuse module (modprobe fuse) or run with --device /dev/fuse" >&2
  exit 1
fi
