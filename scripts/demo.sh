#!/usr/bin/env bash
# Builds barecat-java, generates a few hundred JPEG images in class folders, packs them into an
# archive and mounts it. Prints where it is mounted and how to unmount.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
./mvnw -q -B -DskipTests package
exec bin/barecat demo "$@"
