# Sourced by the bench scripts (from the repository's root).

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
