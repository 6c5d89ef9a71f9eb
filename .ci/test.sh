#!/usr/bin/env bash
# Runs every test: the Rust suites (data layer on SQLite, and on PostgreSQL when
# TEST_DATABASE_URL is set), the release build's size budget, and the browser journeys.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/setup.sh test

step() { printf '\n== %s\n' "$*"; }

step "release build"
cargo leptos build --release --split

step "rust tests${TEST_DATABASE_URL:+ (SQLite and PostgreSQL)}"
cargo test --features ssr

step "API replay: the reference systems' example calls against a running Docket"
replay=$(tests/replay/on-fresh-docket.sh 2>&1) || { echo "$replay"; exit 1; }
echo "$replay" | tail -n 1

step "first-load size"
node .ci/wasm-size.mjs

step "browser journeys"

(cd end2end && npx playwright test)
