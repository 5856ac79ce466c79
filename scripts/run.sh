#!/usr/bin/env bash
# Installs what is missing, builds, and runs the mock on the default fixtures (extra args pass through).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
exec ./build/refold-mock "$@"
