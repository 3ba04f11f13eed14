#!/usr/bin/env bash
# Runs every test: unit tests, real-QEMU tests (TCG) and end-to-end tests against a private containerd.
# Tests that need QEMU, containerd or root skip on a machine without them, and fail under CI=true.
set -euo pipefail
cd "$(dirname "$0")"
exec mvn -B verify "$@"
