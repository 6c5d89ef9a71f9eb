#!/usr/bin/env bash
# The load benchmark: seeds a database, starts the release build, drives it with wrk over
# loopback and prints one table. Each route is measured next to the ceiling: the same server
# answering the same bytes from memory (/bench/ceiling, see src/server/ceiling.rs).
#   tests/benches/load.sh [--clients N] [--postgres] [--duration SECONDS] [--connections C]
#                         [--only TEXT]
# Defaults: 100000 clients on SQLite, 10 s and 8 connections per route; --only measures the
# routes whose name holds TEXT, without the browser part. --postgres uses
# TEST_DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres). A seeded
# SQLite file is kept in target/bench and reused by the next run with the same N.
set -euo pipefail
cd "$(dirname "$0")/../.."
clients=100000 engine=sqlite duration=10 connections=8 only=""
while [ $# -gt 0 ]; do
  case $1 in
    --clients) clients=$2; shift ;;
    --postgres) engine=postgres ;;
    --duration) duration=$2; shift ;;
    --connections) connections=$2; shift ;;
    --only) only=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

source .ci/setup.sh test
if ! command -v wrk >/dev/null; then
  echo "setup: installing Debian's wrk"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo apt-get install -y -qq wrk >/dev/null
fi
[ -n "${BENCH_NO_BUILD:-}" ] || cargo leptos build --release --split >/dev/null 2>&1 \
  || cargo leptos build --release --split
docket=$PWD/target/release/docket
work=$(mktemp -d)
mkdir -p target/bench "$work/ceiling"
server=""
cleanup() {
  [ -z "$server" ] || kill "$server" 2>/dev/null || true
  [ "$engine" != postgres ] || psql -q "$admin_url" -c "DROP DATABASE IF EXISTS $pg_name" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The database, seeded (SQLite: reused from an earlier run when there is one).
seed_time="reused"
seed() {
  local start=$SECONDS
  "$docket" seed --clients "$clients" | tail -n 1
  seed_time="$((SECONDS - start)) s"
}
if [ "$engine" = sqlite ]; then
  cached=target/bench/seed-$clients.db
  if ! [ -f "$cached" ]; then
    DATABASE_URL="sqlite://$work/seeding.db" seed
    mv "$work/seeding.db" "$cached"
  fi
  cp "$cached" "$work/docket.db"
  export DATABASE_URL="sqlite://$work/docket.db"
else
  admin_url=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
  pg_name="docket_bench_$$"
  psql -q "$admin_url" -c "CREATE DATABASE $pg_name"
  export DATABASE_URL="${admin_url%/*}/$pg_name"
  seed
fi

port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
base="http://127.0.0.1:$port"
export LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site \
  DOCKET_SECURE_COOKIES=false RUST_LOG=warn DOCKET_BENCH_CEILING="$work/ceiling" \
  DOCKET_API_RATE_LIMIT=100000000
password=violet-harbour-kettle
"$docket" user create --email bench@example.com --password "$password" --name Bench \
  --role admin >/dev/null
key=$("$docket" api-key create --name bench --user bench@example.com | tail -n 1)

# Start to ready: from starting the process to the first good answer of /healthz.
start_ns=$(date +%s%N)
"$docket" serve &
server=$!
until curl -sf "$base/healthz" >/dev/null; do
  kill -0 "$server" 2>/dev/null || { echo "docket did not start" >&2; exit 1; }
  sleep 0.005
done
ready_ms=$((($(date +%s%N) - start_ns) / 1000000))

# A technician's session, through the sign-in form.
curl -sf -o /dev/null -c "$work/jar" -H "Origin: $base" \
  --data-urlencode email=bench@example.com --data-urlencode "password=$password" "$base/rpc/login"
cookie="docket_session=$(awk '$6 == "docket_session" {print $7}' "$work/jar")"
[ "$cookie" != "docket_session=" ] || { echo "sign-in failed" >&2; exit 1; }

# What to ask for: a client from the middle of the table, its whole name (one client's
# search) and its first word (a common surname: many clients match).
json=$(curl -sf -H "Authorization: Bearer $key" \
  "$base/api/v1/clients?page_size=1&page=$(((clients + 1) / 2))")
read -r client_id client_name < <(node -e '
  const c = JSON.parse(process.argv[1]).clients[0];
  console.log(c.client_id ?? c.id, c.client_name ?? c.name);' "$json")
common_word=${client_name%% *}
uri() { node -e 'console.log(encodeURIComponent(process.argv[1]))' "$1"; }
# 200 client ids spread over the table, the same in every run.
ids=$(node -e 'let x = 1; const ids = [];
  for (let i = 0; i < 200; i++) { x = (x * 48271) % 2147483647; ids.push(1 + (x % +process.argv[1])); }
  console.log(ids.join(" "));' "$clients")

# route NAME PATH [METHOD BODY]: the route, then the ceiling with its answer's bytes.
results=()
route() {
  local name=$1 path=$2 method=${3:-GET} body=${4:-} headers paths file line
  [[ $name == *"$only"* ]] || return 0
  headers="Cookie: $cookie"$'\n'"Authorization: Bearer $key"$'\n'"Origin: $base"
  [ "$method" = GET ] || headers+=$'\n'"Content-Type: application/x-www-form-urlencoded"
  paths=$path
  [[ $path != *'{id}'* ]] || paths=$(for id in $ids; do echo -n "${path//\{id\}/$id} "; done)
  file="$(echo "$name" | tr -c 'a-z0-9\n' '-').${5:-html}"
  curl -sf -o "$work/ceiling/$file" -X "$method" ${body:+--data "$body"} \
    -H "Cookie: $cookie" -H "Authorization: Bearer $key" -H "Origin: $base" \
    ${body:+-H "Content-Type: application/x-www-form-urlencoded"} "$base${paths%% *}" \
    || { echo "$name: $path did not answer 200" >&2; exit 1; }
  load() {
    BENCH_METHOD=$method BENCH_BODY=$body BENCH_HEADERS=$headers BENCH_PATHS=$paths \
      wrk -t1 -c"$1" -d"${duration}s" --timeout 10s -s tests/benches/wrk-report.lua \
      "$base${paths%% *}" | grep '^RESULT'
  }
  line=$(load "$connections")
  alone=$(load 1)
  ceiling=$(BENCH_PATHS="/bench/ceiling/$file" wrk -t1 -c"$connections" -d"${duration}s" \
    -s tests/benches/wrk-report.lua "$base/bench/ceiling/$file" | grep '^RESULT')
  results+=("$name|$(stat -c %s "$work/ceiling/$file")|${line#RESULT }|${ceiling#RESULT }|${alone#RESULT }")
  echo "measured: $name" >&2
}

q_one=$(uri "$client_name")
q_common=$(uri "$common_word")
route "client list" "/clients"
route "client list, one client's name" "/clients?q=$q_one"
route "client list, common surname" "/clients?q=$q_common"
route "client detail" "/clients/{id}"
route "global search" "/rpc/global_search" POST "q=$q_one" json
route "REST list" "/api/v1/clients?page_size=50" GET "" json
route "REST get" "/api/v1/clients/{id}" GET "" json
route "ITFlow read.php list" "/api/v1/clients/read.php?limit=50" GET "" json

echo
echo "Docket load benchmark · $engine · $clients clients · $(nproc) cores · $(date -u +%F)"
echo "wrk, 1 thread, $connections connections, ${duration} s per route, loopback; times in ms;"
echo "\"alone\": the same route with 1 connection (one request after another)"
echo "search terms: \"$client_name\" (one client) and \"$common_word\" (common surname)"
echo
printf '%-32s %7s %8s %7s %7s %7s %9s %8s %6s %10s\n' route bytes 'req/s' p50 p95 p99 'ceil req/s' \
  'ceil p95' ratio 'alone p95'
for r in "${results[@]}"; do
  IFS='|' read -r name bytes line ceiling alone <<<"$r"
  read -r rps p50 p95 p99 failed _ <<<"$line"
  read -r crps _ cp95 _ <<<"$ceiling"
  read -r _ _ ap95 _ afailed _ <<<"$alone"
  printf '%-32s %7s %8s %7s %7s %7s %9s %8s %5s%% %10s' "$name" "$bytes" "$rps" "$p50" "$p95" \
    "$p99" "$crps" "$cp95" "$((rps * 100 / (crps > 0 ? crps : 1)))" "$ap95"
  [ "$failed$afailed" = 00 ] && echo || echo "  ($failed, $afailed failed)"
  [ "$failed$afailed" = 00 ] || failures=1
done
echo
# The table is out before the browser part, so that a failure there loses nothing.
if [ -z "$only" ]; then
  echo "In Chromium, one technician, no other load:"
  timeout 600 node tests/benches/interaction.mjs "$base" bench@example.com "$password" "$key" \
    || failures=1
fi
rss_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$server/status")
echo
echo "peak RSS: $((rss_kb / 1024)) MB · start to ready: $ready_ms ms · seed: $seed_time"
node .ci/wasm-size.mjs | grep -E '^(first +total|First load)'
[ -z "${failures:-}" ]
