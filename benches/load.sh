#!/usr/bin/env bash
# Load figures for minutebook on SQLite over loopback: requests per second for
# /healthz (the process alone) and for GET /api/v1/meetings/{id} (one meeting with
# its agenda and attendance register, authenticated), on the same release build.
#
#   benches/load.sh [seconds] [connections] [rounds]
#
# The two are measured in turn, `rounds` times each (default 3), and the medians
# compared, so that a passing disturbance on the machine does not decide the ratio.
#
# Needs wrk (Debian package `wrk`). Runs against 127.0.0.1 only, bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-32}
rounds=${3:-3}
port=${MINUTEBOOK_LOAD_PORT:-18080}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }

cargo build --release --quiet
bin=target/release/minutebook
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
export DATABASE_URL="sqlite://$work/load.db?mode=rwc"

"$bin" seed-demo >/dev/null 2>&1
token=$("$bin" token create --role secretariat --name "Load test" 2>/dev/null)
RUST_LOG=warn "$bin" --bind "127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

# The meeting with the fullest register.
meeting=$(curl -fs -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/v1/meetings?limit=200" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][3]["id"])')
detail=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/meetings/$meeting")
items=$(echo "$detail" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["agenda"]), "agenda items,", len(d["attendance"]), "people on the register")')

rps() { wrk -t2 -c"$connections" -d"${seconds}s" "$@" | awk '/Requests\/sec/ {print $2}'; }
median() { python3 -c 'import statistics,sys; print(f"{statistics.median(map(float, sys.argv[1:])):.0f}")' "$@"; }
health_runs=()
meeting_runs=()
for _ in $(seq "$rounds"); do
  health_runs+=("$(rps "http://127.0.0.1:$port/healthz")")
  meeting_runs+=("$(rps -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/meetings/$meeting")")
done
health=$(median "${health_runs[@]}")
meeting_rps=$(median "${meeting_runs[@]}")
ratio=$(python3 -c "print(f'{$meeting_rps / $health:.2f}')")

echo "GET /healthz:                      $health requests/s  (median of ${health_runs[*]})"
echo "GET /api/v1/meetings/{id}:         $meeting_rps requests/s  (median of ${meeting_runs[*]}; $items)"
echo "meeting / healthz:                 $ratio  (target: at least 0.50)"
