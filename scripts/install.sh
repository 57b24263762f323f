#!/usr/bin/env bash
# Installs barecat-java system-wide (as root), or removes it again with --uninstall:
#   PREFIX/lib/barecat.jar and PREFIX/bin/{barecat,barecat-mount,barecat-launch,mount.fuse.barecat}
#   BINDIR/barecat, BINDIR/barecat-mount             links to the launchers
#   SBINDIR/mount.fuse.barecat                        the helper mount(8) runs for type fuse.barecat
# so that `mount -t fuse.barecat ARCHIVE DIR`, /etc/fstab lines and systemd .mount units work.
# Builds the jar first when cli/target/barecat.jar is missing. Needs java on PATH (or JAVA_HOME)
# at mount time, and the Debian packages fuse and libfuse2.
#
# usage: scripts/install.sh [--prefix DIR] [--bindir DIR] [--sbindir DIR] [--uninstall]
#        defaults:           /opt/barecat   /usr/local/bin /sbin
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/opt/barecat
bindir=/usr/local/bin
sbindir=/sbin
uninstall=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --bindir) bindir="$2"; shift 2 ;;
    --sbindir) sbindir="$2"; shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    *) echo "usage: scripts/install.sh [--prefix DIR] [--bindir DIR] [--sbindir DIR] [--uninstall]" >&2; exit 2 ;;
  esac
done
launchers=(barecat barecat-mount barecat-launch mount.fuse.barecat)

if [ "$uninstall" -eq 1 ]; then
  rm -f "$bindir/barecat" "$bindir/barecat-mount" "$sbindir/mount.fuse.barecat"
  for f in "${launchers[@]}"; do rm -f "$prefix/bin/$f"; done
  rm -f "$prefix/lib/barecat.jar"
  rmdir "$prefix/bin" "$prefix/lib" "$prefix" 2>/dev/null || true
  exit 0
fi

[ -f cli/target/barecat.jar ] || ./mvnw -q -B -DskipTests package
install -d "$prefix/bin" "$prefix/lib" "$bindir" "$sbindir"
install -m 0644 cli/target/barecat.jar "$prefix/lib/barecat.jar"
for f in "${launchers[@]}"; do install -m 0755 "bin/$f" "$prefix/bin/$f"; done
ln -sfn "$prefix/bin/barecat" "$bindir/barecat"
ln -sfn "$prefix/bin/barecat-mount" "$bindir/barecat-mount"
ln -sfn "$prefix/bin/mount.fuse.barecat" "$sbindir/mount.fuse.barecat"
echo "Installed in $prefix; commands in $bindir; mount helper $sbindir/mount.fuse.barecat"
