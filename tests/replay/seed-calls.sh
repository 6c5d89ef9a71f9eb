#!/usr/bin/env bash
# Replays the reference systems' example API calls against a running Docket: ITFlow's v1
# dialect (list clients, create a contact with the documented body, read and update it) and
# the REST shape (list, create a client with its primary location, get, update). Stops at
# the first answer that is not what a script expects.
#   tests/replay/seed-calls.sh http://127.0.0.1:3000 KEY
set -euo pipefail
base=${1:?usage: $0 BASE_URL API_KEY}
key=${2:?usage: $0 BASE_URL API_KEY}

# One call: prints the answer, fails unless the status is 2xx and the body holds $expect.
# REST calls send the key as a Bearer token; ITFlow calls (.php) carry it as `api_key`.
call() {
  local method=$1 path=$2 body=$3 expect=$4 answer auth=(-H "Authorization: Bearer $key")
  case $path in *.php*) auth=() ;; esac
  echo "> $method $path" >&2
  answer=$(curl -sS --fail-with-body -X "$method" "$base$path" "${auth[@]}" \
    -H 'Content-Type: application/json' ${body:+--data "$body"}) || { echo "$answer" >&2; return 1; }
  echo "$answer" >&2
  case $answer in
    *"$expect"*) printf '%s' "$answer" ;;
    *) echo "expected $expect" >&2; return 1 ;;
  esac
}

# The first number named "$1" in a JSON answer.
field() { grep -o "\"$1\":[0-9]*" | head -n 1 | cut -d: -f2; }

# ITFlow: the key may ride in the query string.
call GET "/api/v1/clients/read.php?api_key=$key&limit=10" '' '"success":"True"' >/dev/null

# REST, seed 002's shape: a client with its primary location.
client=$(call POST /api/v1/clients '{"client": {"name": "Replay Industries", "website": "replay.example",
  "primary_location": {"name": "Head office", "address_1": "1 Main St", "address_2": "", "address_3": "",
  "city": "Springfield", "state": "IL", "zip": "62701", "country": "US", "phone_primary": "217-555-0100",
  "phone_secondary": "", "phone_fax": "", "email_invoice": "ap@replay.example", "notes": ""}}}' \
  '"name":"Replay Industries"' | field id)
call GET "/api/v1/clients?search=replay&page=1&page_size=10" '' '"total":' >/dev/null
call GET "/api/v1/clients/$client" '' '"city":"Springfield"' >/dev/null

# ITFlow: create a contact with the documented body, read it back, change its title.
contact=$(call POST /api/v1/contacts/create.php "{\"api_key\": \"$key\", \"client_id\": $client,
  \"contact_name\": \"Rita Replay\", \"contact_title\": \"Office manager\", \"contact_department\": \"Admin\",
  \"contact_email\": \"rita.$client@replay.example\", \"contact_phone\": \"217-555-0101\",
  \"contact_extension\": \"12\", \"contact_mobile\": \"217-555-0199\", \"contact_notes\": \"\",
  \"contact_auth_method\": \"\", \"contact_important\": 1, \"contact_billing\": 0,
  \"contact_technical\": 1, \"contact_location_id\": 0}" '"insert_id"' | field insert_id)
call GET "/api/v1/contacts/read.php?api_key=$key&contact_id=$contact" '' '"contact_name":"Rita Replay"' >/dev/null
call POST /api/v1/contacts/update.php "{\"api_key\": \"$key\", \"contact_id\": $contact, \"contact_title\": \"Director\"}" \
  '"success":"True"' >/dev/null
call GET "/api/v1/contacts/read.php?api_key=$key&contact_phone_or_mobile=2175550199" '' '"contact_title":"Director"' >/dev/null

# REST: a partial update.
call PUT "/api/v1/clients/$client" '{"client": {"notes": "Replayed"}}' '"notes":"Replayed"' >/dev/null
echo "replay: every call answered as expected"
