#!/usr/bin/env bash
# JMH benchmarks of fs-core's hot paths (lookup, listing, positional reads), no FUSE involved.
# usage: bench/jmh.sh [JMH options, e.g. -t 4 for 4 threads, or a benchmark name regex]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl fs-core -am test-compile
./mvnw -q -B -pl fs-core org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/fs-core/target/jmh.classpath"
exec java -cp "fs-core/target/test-classes:fs-core/target/classes:$(cat fs-core/target/jmh.classpath)" \
  org.openjdk.jmh.Main "${@:-ArchiveBenchmark}"
