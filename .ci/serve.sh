#!/usr/bin/env bash
# Builds Docket in release mode and runs it on SQLite at http://127.0.0.1:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/setup.sh
cargo leptos build --release --split
export DOCKET_SECURE_COOKIES=${DOCKET_SECURE_COOKIES:-false}
exec target/release/docket serve "$@"
