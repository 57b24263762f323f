# Sourced by the bench scripts before anything else (. "$(dirname "$0")/common.sh"): puts the shell at
# the repository's root, which repo names, so that paths in the scripts are relative to it.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)

# results_path NAME: where a run's Markdown goes, bench/results/DATE-COMMIT-NAME.md: the commit measured
# is in the name (with -dirty for uncommitted changes), and a second run on the same day keeps the first
results_path() {
  echo "$repo/bench/results/$(date -u +%Y-%m-%d)-$(git describe --always --dirty --abbrev=7 2>/dev/null || echo unknown)-$1.md"
}

# build_barecat: the project's system packages, and the jar if it is missing or older than a source
# (a jar left from before a pull or a cherry-pick would be measured in place of the code checked out)
build_barecat() {
  scripts/install-deps.sh
  if [ ! -f cli/target/barecat.jar ] || [ -n "$(find . \( -path '*/src/*' -o -name pom.xml \) -type f \
      -not -path '*/target/*' -newer cli/target/barecat.jar -print -quit)" ]; then
    ./mvnw -q -B -DskipTests package
  fi
}

# install_missing PACKAGE...: those of Debian's PACKAGEs that are not installed yet
install_missing() {
  local need=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
}

# use_full_bench FILE...: for a script that measures the data of the full bench: sets work to its work
# dir (BENCH_DIR, default /var/tmp/barecat-bench-full), exits with one line unless each FILE (below
# work) is there, then build_barecat
use_full_bench() {
  work=${BENCH_DIR:-/var/tmp/barecat-bench-full}
  local f
  for f in "$@"; do
    [ -e "$work/$f" ] || { echo "$0: $work/$f: no bench data; bench/run.sh makes it" >&2; exit 1; }
  done
  build_barecat
}

# prime_mount ARCHIVE MOUNTPOINT: a first mount has the launcher make barecat-mount's class-data
# archive in the background (see bin/barecat-launch); done here, unmeasured, and waited for, so every
# mount measured is one as users get it from the second on
prime_mount() {
  mkdir -p "$2"
  bin/barecat-mount "$1" "$2" && fusermount -u "$2"
  local cds_cache=${XDG_CACHE_HOME:-$HOME/.cache}/barecat  # the launcher holds a lock directory there while it trains
  for _ in $(seq 600); do compgen -G "$cds_cache/*.jsa.lock" > /dev/null || break; sleep 0.1; done
}

# peak_rss_mb PID: the process's peak resident memory (VmHWM), in MB
peak_rss_mb() { awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# free_port: a TCP port free on loopback now
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# measure_at MOUNTPOINT ARCHIVE: sets mnt, the mount point the measurements use, unmounted (lazily if
# busy) when the script exits, and mounts ARCHIVE there once first (prime_mount)
measure_at() {
  mnt=$1
  trap 'fusermount -u "$mnt" 2>/dev/null || fusermount -uz "$mnt" 2>/dev/null || true' EXIT
  prime_mount "$2" "$mnt"
}

# mount_and_measure MOUNTPOINT ARGS...: the page cache dropped, runs bin/barecat-mount ARGS... MOUNTPOINT
# and sets mount_ms, daemon (its pid: the newest, as the last one's may still be exiting) and idle_mb (its
# peak RSS 8 s later, its background work done); then, the page cache dropped again, a find of every
# entry: find_ms, entries and after_mb (its peak RSS after the find)
mount_and_measure() {
  local mnt=$1 t0
  shift
  sync; echo 3 > /proc/sys/vm/drop_caches
  t0=$(date +%s%N)
  bin/barecat-mount "$@" "$mnt"
  mount_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  daemon=$(pgrep -n -f -- "BarecatMount.* $mnt")
  sleep 8
  idle_mb=$(peak_rss_mb "$daemon")
  sync; echo 3 > /proc/sys/vm/drop_caches
  t0=$(date +%s%N)
  entries=$(find "$mnt" | wc -l)
  find_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  after_mb=$(peak_rss_mb "$daemon")
}

# unmount_and_wait MOUNTPOINT: unmounts and waits (up to 10 s) for mount_and_measure's daemon to exit
unmount_and_wait() {
  fusermount -u "$1"
  for _ in $(seq 200); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.05; done
}
