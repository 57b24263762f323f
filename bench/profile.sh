#!/usr/bin/env bash
# Where barecat-mount's daemon spends its CPU while a command runs against the mount: mounts ARCHIVE
# with async-profiler (from Maven Central) sampling every thread's CPU time, Java and native frames
# alike, runs COMMAND with the mountpoint in $MNT, unmounts, and prints the frames and threads that
# took the most samples. OUT gets the stacks in collapsed form (one "thread;frame;...;frame count" per
# line: flame-graph tools read it).
#
# usage: bench/profile.sh ARCHIVE OUT -- COMMAND...
# e.g.:  bench/profile.sh /var/tmp/barecat-bench-full/images.barecat /tmp/find.txt -- \
#          sh -c 'for i in 1 2 3 4 5; do echo 3 > /proc/sys/vm/drop_caches; find "$MNT" > /dev/null; done'
# env:   PROFILE_INTERVAL (CPU time between samples, default 200us), BARECAT_JAVA_OPTS (added, as ever)
set -euo pipefail
[ $# -ge 4 ] && [ "$3" = "--" ] || { sed -n '2,11s/^# \{0,1\}//p' "$0" >&2; exit 2; }
archive=$(readlink -f "$1"); out=$(readlink -f "$2"); shift 3
. "$(dirname "$0")/common.sh"
build_barecat

version=3.0
case "$(uname -m)" in
  x86_64) platform=linux-x64 ;;
  aarch64) platform=linux-arm64 ;;
  *) echo "profile.sh: async-profiler has no library for $(uname -m)" >&2; exit 1 ;;
esac
tools=${XDG_CACHE_HOME:-$HOME/.cache}/barecat-bench/async-profiler-$version
if [ ! -f "$tools/$platform/libasyncProfiler.so" ]; then
  ./mvnw -q -B dependency:copy -Dartifact=tools.profiler:async-profiler:$version -DoutputDirectory="$tools"
  (cd "$tools" && unzip -q -o "async-profiler-$version.jar" "$platform/libasyncProfiler.so")
fi

MNT=$(mktemp -d "${TMPDIR:-/tmp}/barecat-profile.XXXXXX")
export MNT
unmount() {
  fusermount -u "$MNT" 2>/dev/null || fusermount -uz "$MNT" 2>/dev/null || true
}
trap 'unmount; rmdir "$MNT" 2>/dev/null || true' EXIT
rm -f "$out"
BARECAT_JAVA_OPTS="${BARECAT_JAVA_OPTS:-} -agentpath:$tools/$platform/libasyncProfiler.so=start,event=cpu,interval=${PROFILE_INTERVAL:-200us},file=$out,collapsed,threads" \
  bin/barecat-mount "$archive" "$MNT"
daemon=$(pgrep -f "BarecatMount.*$MNT" | head -1)
status=0
"$@" || status=$?
unmount
for _ in $(seq 300); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done  # the profile is written as the JVM exits
[ -s "$out" ] || { echo "profile.sh: the daemon wrote no profile to $out" >&2; exit 1; }

python3 - "$out" <<'PY'
import collections, sys
frames, threads, total = collections.Counter(), collections.Counter(), 0
for line in open(sys.argv[1]):
    stack, _, count = line.rstrip("\n").rpartition(" ")
    parts, n = stack.split(";"), int(count)
    total += n
    threads[parts[0].split(" tid=")[0].strip("[]")] += n
    frames[parts[-1]] += n
print(f"{total} samples")
for title, counter in (("threads", threads), ("frames, by samples on top of the stack", frames)):
    print(f"\n{title}:")
    for name, n in counter.most_common(25):
        print(f"  {100 * n / total:5.1f}%  {name}")
PY
exit $status
