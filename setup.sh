#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine and runs the main job:
# Debian packages, the Maven build (jars, guest kernel + image), the install into ${GOLDILOCKS_PREFIX:-/opt/goldilocks},
# then a container started through a private containerd inside a Goldilocks VM.
set -euo pipefail
cd "$(dirname "$0")"

bash packaging/deps.sh
mvn -B -q package -DskipTests
bash packaging/install.sh
bash packaging/demo.sh
