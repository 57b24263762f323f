#!/usr/bin/env bash
# Installs barecat-java system-wide (as root), or removes it again with --uninstall:
#   PREFIX/lib/barecat.jar and PREFIX/bin/{barecat,barecat-mount,barecat-launch,barecat-legacy,mount.fuse.barecat}
#   BINDIR/barecat, BINDIR/barecat-mount             links to the launchers
#   PREFIX/bin/barecat-legacy and BINDIR/{barecat-create,barecat-merge,...}   the original's older names
#   SBINDIR/mount.fuse.barecat                        the helper mount(8) runs for type fuse.barecat
#   PREFIX/share/bash-completion/completions/{barecat,barecat-mount}   bash completion
#   PREFIX/share/man/man1/barecat*.1                  man pages (barecat-mount(1) is barecat mount's)
#   SHAREDIR/bash-completion/completions/*, SHAREDIR/man/man1/*   links to those, where bash and man look
# so that `mount -t fuse.barecat ARCHIVE DIR`, /etc/fstab lines and systemd .mount units work.
# Builds the jar, completion and man pages first when they are missing (the build needs asciidoctor:
# scripts/install-deps.sh). Needs java on PATH (or JAVA_HOME) at mount time, and the Debian packages
# fuse and libfuse2.
#
# usage: scripts/install.sh [--prefix DIR] [--bindir DIR] [--sbindir DIR] [--sharedir DIR] [--uninstall]
#        defaults:           /opt/barecat   /usr/local/bin /sbin         /usr/local/share
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/opt/barecat
bindir=/usr/local/bin
sbindir=/sbin
sharedir=/usr/local/share
uninstall=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --bindir) bindir="$2"; shift 2 ;;
    --sbindir) sbindir="$2"; shift 2 ;;
    --sharedir) sharedir="$2"; shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    *) echo "usage: scripts/install.sh [--prefix DIR] [--bindir DIR] [--sbindir DIR] [--sharedir DIR] [--uninstall]" >&2; exit 2 ;;
  esac
done
launchers=(barecat barecat-mount barecat-launch barecat-legacy mount.fuse.barecat)
# the original barecat's older command names: links to barecat-legacy, which runs what each stands for
legacy=(barecat-create barecat-create-recursive barecat-extract barecat-extract-single barecat-merge
  barecat-merge-symlink barecat-verify barecat-defrag barecat-index-to-csv barecat-to-ncdu-json archive2barecat
  barecat2archive barecat-upgrade-database)
completions=(barecat barecat-mount)
completion_dir=share/bash-completion/completions
man_dir=share/man/man1

if [ "$uninstall" -eq 1 ]; then
  rm -f "$bindir/barecat" "$bindir/barecat-mount" "$sbindir/mount.fuse.barecat"
  for f in "${launchers[@]}"; do rm -f "$prefix/bin/$f"; done
  for f in "${legacy[@]}"; do rm -f "$prefix/bin/$f" "$bindir/$f"; done
  for f in "${completions[@]}"; do rm -f "$prefix/$completion_dir/$f" "$sharedir/${completion_dir#share/}/$f"; done
  for page in "$prefix/$man_dir"/barecat*.1; do
    [ -e "$page" ] || continue
    rm -f "$page" "$sharedir/${man_dir#share/}/${page##*/}"
  done
  rm -f "$prefix/lib/barecat.jar"
  rmdir -p "$prefix/$completion_dir" "$prefix/$man_dir" 2>/dev/null || true
  rmdir "$prefix/bin" "$prefix/lib" "$prefix" 2>/dev/null || true
  exit 0
fi

[ -f cli/target/barecat.jar ] && [ -f cli/target/barecat.bash ] && [ -f cli/target/man/barecat.1 ] ||
  ./mvnw -q -B -DskipTests package
install -d "$prefix/bin" "$prefix/lib" "$prefix/$completion_dir" "$prefix/$man_dir" "$bindir" "$sbindir" \
  "$sharedir/${completion_dir#share/}" "$sharedir/${man_dir#share/}"
install -m 0644 cli/target/barecat.jar "$prefix/lib/barecat.jar"
for f in "${launchers[@]}"; do install -m 0755 "bin/$f" "$prefix/bin/$f"; done
for f in "${completions[@]}"; do
  install -m 0644 "cli/target/$f.bash" "$prefix/$completion_dir/$f"
  ln -sfn "$prefix/$completion_dir/$f" "$sharedir/${completion_dir#share/}/$f"
done
for page in cli/target/man/barecat*.1; do
  install -m 0644 "$page" "$prefix/$man_dir/${page##*/}"
  ln -sfn "$prefix/$man_dir/${page##*/}" "$sharedir/${man_dir#share/}/${page##*/}"
done
ln -sfn "$prefix/bin/barecat" "$bindir/barecat"
ln -sfn "$prefix/bin/barecat-mount" "$bindir/barecat-mount"
for f in "${legacy[@]}"; do
  ln -sfn barecat-legacy "$prefix/bin/$f"
  ln -sfn "$prefix/bin/$f" "$bindir/$f"
done
ln -sfn "$prefix/bin/mount.fuse.barecat" "$sbindir/mount.fuse.barecat"
echo "Installed in $prefix; commands in $bindir; mount helper $sbindir/mount.fuse.barecat;" \
  "completion and man pages linked from $sharedir"
