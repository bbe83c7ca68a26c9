#!/usr/bin/env bash
# Measures the summary-note preview endpoint under load: starts a release build
# on a fresh SQLite database, writes a realistic note through the API (12 agenda
# items, 18 people on the register, 10 actions, 6 carried from an earlier
# meeting), then runs wrk against
# GET /api/v1/meetings/{id}/summary-note/document?audience=members.
#
#   scripts/load-preview.sh [DURATION] [CONNECTIONS]      (defaults: 20s, 8)
#
# Needs: wrk, curl, jq; builds with `cargo build --release`.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-20s}"
connections="${2:-8}"
port=18089
base="http://127.0.0.1:$port/api/v1"

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/minutebook"
dir="$(mktemp -d /tmp/minutebook-load.XXXXXX)"
export DATABASE_URL="sqlite://$dir/minutebook.db?mode=rwc"
RUST_LOG=warn "$bin" migrate >/dev/null 2>&1
token="$(RUST_LOG=warn "$bin" token create --role secretariat --name "load test")"
RUST_LOG=warn "$bin" serve --bind "127.0.0.1:$port" >"$dir/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

post() { curl -fsS -X "${3:-POST}" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$base$1" -d "$2"; }

clinks=$(post /organisations '{"name":"Clinks","kind":"secretariat"}' | jq -r .id)
hmpps=$(post /organisations '{"name":"HMPPS","kind":"hmpps"}' | jq -r .id)
rr3=$(post /groups '{"kind":"rr3","name":"Reducing Reoffending Third Sector Advisory Group","short_name":"RR3","remit":"Advise MoJ and HMPPS","about":"RR3 brings together voluntary sector leaders to advise the Ministry of Justice and HMPPS."}' | jq -r .id)
frd=$(post /groups "{\"kind\":\"sig\",\"parent_id\":\"$rr3\",\"name\":\"Future Regime Design SIG\",\"short_name\":\"FRD\",\"remit\":\"Future regime design\"}" | jq -r .id)
people=()
for i in $(seq 18); do
    org=$clinks; [ "$i" -gt 14 ] && org=$hmpps
    p=$(post /people "{\"name\":\"Member Number$i\",\"email\":\"m$i@example.org\",\"organisation_id\":\"$org\",\"job_title\":\"Director\"}" | jq -r .id)
    people+=("$p")
    role=member; [ "$i" -eq 1 ] && role=chair; [ "$i" -gt 14 ] && role=official
    post "/groups/$frd/memberships" "{\"person_id\":\"$p\",\"role\":\"$role\",\"starts_on\":\"2026-01-01\"}" >/dev/null
done
meeting() { post "/groups/$frd/meetings" "{\"title\":\"Future regime design\",\"starts_at\":\"$1\",\"ends_at\":\"$2\",\"mode\":\"online\",\"joining_link\":\"https://meet.example.org/frd\"}" | jq -r .id; }
earlier=$(meeting 2026-05-14T09:00:00Z 2026-05-14T11:00:00Z)
for i in $(seq 6); do
    post "/meetings/$earlier/actions" "{\"description\":\"Earlier action $i on purposeful activity & time out of cell\",\"owner_person_id\":\"${people[$i]}\",\"due_on\":\"2026-06-01\"}" >/dev/null
done
mid=$(meeting 2026-06-11T09:00:00Z 2026-06-11T11:00:00Z)
meeting 2026-07-09T09:00:00Z 2026-07-09T11:00:00Z >/dev/null
items='[]'
for i in $(seq 12); do
    visibility=public; [ $((i % 4)) -eq 0 ] && visibility=members
    item=$(post "/meetings/$mid/agenda-items" "{\"title\":\"Agenda item $i on regime design\",\"kind\":\"discussion\",\"presenter_person_id\":\"${people[15]}\",\"visibility\":\"$visibility\"}" | jq -r .id)
    items=$(jq -c --arg id "$item" '. + [{agenda_item_id:$id, summary:"Officials set out the emerging principles and the evidence behind them.", discussion:[range(6)|"Members raised point \(.) about continuity of care, purposeful activity and the role of the voluntary sector."], officials_response:"Officials agreed to share the evidence base.", agreed:["The secretariat will collate views."]}]' <<<"$items")
done
post "/meetings/$mid/attendance/invite-members" '' >/dev/null
for i in $(seq 10); do
    post "/meetings/$mid/actions" "{\"description\":\"Action $i: share the evidence with members before the next meeting\",\"owner_person_id\":\"${people[$i]}\",\"due_on\":\"2026-07-01\"}" >/dev/null
done
body=$(jq -c -n --argjson items "$items" '{purpose:"To hear officials on regime design.", items:$items, key_issues:["Continuity of care","Resourcing"], next_steps:["The secretariat will draft a response."], aob:"None raised."}')
post "/meetings/$mid/summary-note" "$body" PUT >/dev/null

url="$base/meetings/$mid/summary-note/document?audience=members"
bytes=$(curl -fsS -H "Authorization: Bearer $token" "$url" | wc -c)
echo "preview: $bytes bytes"
wrk -t2 -c"$connections" -d"$duration" --latency -H "Authorization: Bearer $token" "$url"
