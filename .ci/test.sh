#!/usr/bin/env bash
# Runs every test: the Rust suites (data layer on SQLite, and on PostgreSQL when
# TEST_DATABASE_URL is set), the release build's size budget, and the browser journeys.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/setup.sh test

step() { printf '\n== %s\n' "$*"; }

step "release build"
cargo leptos build --release

step "rust tests${TEST_DATABASE_URL:+ (SQLite and PostgreSQL)}"
cargo test --features ssr

step "first-load size"
node .ci/wasm-size.mjs

step "browser journeys"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd end2end && DOCKET_E2E_PORT=$port DOCKET_E2E_DATA=$data npx playwright test)
