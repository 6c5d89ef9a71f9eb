#!/usr/bin/env bash
# Starts the release build on a new SQLite database, makes a technician and an API key with
# the command line, and replays the example calls against it.
#   tests/replay/on-fresh-docket.sh   (after cargo leptos build --release)
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=$(mktemp -d)
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
export DATABASE_URL="sqlite://$dir/docket.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
  LEPTOS_SITE_ROOT=target/site DOCKET_SECURE_COOKIES=false RUST_LOG=warn
docket=target/release/docket
"$docket" user create --email replay@example.com --password violet-harbour-kettle \
  --name Replay --role technician >/dev/null
key=$("$docket" api-key create --name replay --user replay@example.com | tail -n 1)
"$docket" serve &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.1
done
tests/replay/seed-calls.sh "http://127.0.0.1:$port" "$key"
