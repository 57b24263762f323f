#!/usr/bin/env bash
# Runs every test: unit tests of each module, then the integration tests that mount real archives
# and drive real programs against them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
exec ./mvnw -B verify "$@"
