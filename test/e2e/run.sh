#!/usr/bin/env bash
# End to end with a real n8n 2.x: installs our package as a community package, imports workflows/,
# runs one headless, then starts n8n and proves the signed-webhook trigger round trip.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

export HSB_CACHE="${HSB_CACHE:-$HOME/.cache/home-school-bridge}"
INSTALLED=$(bash .ci/install-n8n.sh | tail -n 2)
NODE24_BIN=$(echo "$INSTALLED" | head -n 1)
N8N_HOME=$(echo "$INSTALLED" | tail -n 1)
N8N="$NODE24_BIN/node $N8N_HOME/node_modules/n8n/bin/n8n"
WORK=$(mktemp -d /tmp/hsb-e2e-XXXXXX)
SERVICE_PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
N8N_PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
SMTP_PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
ROBOT_PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
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
HSB_DATA_DIR="$WORK/service" PORT=$SERVICE_PORT HSB_LOG_LEVEL=warn HSB_WEBHOOK_RETRY_BASE_MS=500 HSB_CASE_DAYS_EMERGENCY=0 \
  node dist/server/main.js > "$WORK/service.log" 2>&1 &
PIDS+=($!)
wait_for "$SERVICE/ready" 120 || { cat "$WORK/service.log"; fail "service not ready"; }
node test/e2e/recorders.mjs "$SMTP_PORT" "$ROBOT_PORT" "$WORK" > "$WORK/recorders.log" 2>&1 &
PIDS+=($!)
touch "$WORK/mail.jsonl" "$WORK/robot.jsonl"
API_KEY=$(sed -n 's/^  API key  *\(hsb_[A-Za-z0-9_-]*\)$/\1/p' "$WORK/service.log")
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
   "data": { "baseUrl": "$SERVICE", "apiKey": "$API_KEY" } },
 { "id": "hsbSmtp01", "name": "School SMTP", "type": "smtp",
   "data": { "user": "", "password": "", "host": "127.0.0.1", "port": $SMTP_PORT, "secure": false, "disableStartTls": true } }]
JSON
$N8N import:credentials --input="$WORK/credentials.json" > "$WORK/import-credentials.log" 2>&1 || { cat "$WORK/import-credentials.log"; fail "credential import"; }
rm "$WORK/credentials.json"

# The workflows as shipped, with their Settings (设置) node pointed at the local robot recorder.
node -e "
const fs = require('fs');
const all = fs.readdirSync('workflows').filter((f) => f.endsWith('.json')).sort().map((f, i) => {
  const w = JSON.parse(fs.readFileSync('workflows/' + f, 'utf8'));
  for (const n of w.nodes) for (const a of n.parameters?.assignments?.assignments ?? []) if (a.name === 'robotUrl') a.value = process.argv[2];
  return { id: 'hsbWorkflow' + String(i + 1).padStart(4, '0'), active: false, ...w };
});
fs.writeFileSync(process.argv[1], JSON.stringify(all));" "$WORK/workflows.json" "http://127.0.0.1:$ROBOT_PORT/cgi-bin/webhook/send?key=e2e"
$N8N import:workflow --input="$WORK/workflows.json" > "$WORK/import-workflows.log" 2>&1 || { cat "$WORK/import-workflows.log"; fail "workflow import"; }
echo "imported workflows:"
node -e "for (const w of JSON.parse(require('fs').readFileSync(process.argv[1],'utf8'))) console.log('  '+w.id+' | '+w.name)" "$WORK/workflows.json"
wf_id() { node -e "console.log(JSON.parse(require('fs').readFileSync(process.argv[1],'utf8')).find(w=>w.name.includes(process.argv[2])).id)" "$WORK/workflows.json" "$1"; }
OVERVIEW_ID=$(wf_id 'Forms overview'); INTAKE_ID=$(wf_id 'feedback intake'); ARCHIVE_ID=$(wf_id 'Annual archive update')
DIGEST_ID=$(wf_id 'overdue-contact digest'); ESCALATION_ID=$(wf_id 'case escalation'); OPENED_ID=$(wf_id 'case opened'); GOODNEWS_ID=$(wf_id 'Good-news letter')

echo "== n8n execute --id=$OVERVIEW_ID"
$N8N execute --id="$OVERVIEW_ID" --rawOutput > "$WORK/execute.json" 2> "$WORK/execute.log" || { cat "$WORK/execute.log" "$WORK/execute.json"; fail "execute"; }
# n8n logs to stdout before the run data: keep the JSON document that follows.
sed -n '/^{/,$p' "$WORK/execute.json" > "$WORK/run.json"
STATUS=$(json 'v.status' < "$WORK/run.json" 2>/dev/null || echo "unparsable")
FORMS=$(json 'v.data.resultData.runData["List forms"][0].data.main[0].map(i=>i.json.path).sort().join(",")' < "$WORK/run.json" 2>/dev/null || echo "")
echo "executed workflow $OVERVIEW_ID: status $STATUS, forms: $FORMS"
[ "$STATUS" = "success" ] || { head -c 3000 "$WORK/run.json"; fail "execution status $STATUS"; }
echo "$FORMS" | grep -q termLetterFeedback || fail "the workflow did not read the forms from the service"

run_workflow() { # id → prints status; fails unless success
  $N8N execute --id="$1" --rawOutput > "$WORK/execute-$1.json" 2> "$WORK/execute-$1.log" || { tail -20 "$WORK/execute-$1.log"; fail "execute $1"; }
  sed -n '/^{/,$p' "$WORK/execute-$1.json" > "$WORK/run-$1.json"
  local status; status=$(json 'v.status' < "$WORK/run-$1.json" 2>/dev/null || echo unparsable)
  echo "executed workflow $1: status $status"
  [ "$status" = "success" ] || { json 'JSON.stringify(v.data?.resultData?.error ?? v).slice(0, 2000)' < "$WORK/run-$1.json" 2>/dev/null; fail "workflow $1 status $status"; }
}
mails_to() { node -e "const fs=require('fs');const m=fs.readFileSync(process.argv[1],'utf8').trim().split('\n').filter(Boolean).map(JSON.parse);console.log(m.filter(x=>x.to.includes(process.argv[2])&&x.subject.includes(process.argv[3])).length)" "$WORK/mail.jsonl" "$1" "$2"; }
robot_says() { node -e "const fs=require('fs');const m=fs.readFileSync(process.argv[1],'utf8').trim().split('\n').filter(Boolean).map(JSON.parse);console.log(m.filter(x=>x.body.text.content.includes(process.argv[2])).length)" "$WORK/robot.jsonl" "$1"; }

echo "== scheduled workflows, executed headless"
run_workflow "$ARCHIVE_ID"
echo "  archive reminders: $(mails_to counselor1@demo.edu.cn 档案待更新) mail to counselor1, group escalation: $(robot_says 档案更新已过截止日期)"
[ "$(mails_to counselor1@demo.edu.cn 档案待更新)" -ge 1 ] || fail "no archive reminder e-mail"
[ "$(robot_says 档案更新已过截止日期)" -ge 1 ] || fail "no archive escalation to the group robot"

run_workflow "$DIGEST_ID"
echo "  overdue digest: $(mails_to counselor2@demo.edu.cn 今日需联系家长) mail to counselor2, group summary: $(robot_says 今日逾期未联系家长)"
[ "$(mails_to counselor2@demo.edu.cn 今日需联系家长)" -ge 1 ] || fail "no overdue-contact digest e-mail"
[ "$(robot_says 今日逾期未联系家长)" -ge 1 ] || fail "no digest summary to the group robot"

STUDENT_NO=$(curl -sf "$SERVICE/api/students?limit=1&q=2022JX" -H "X-API-Key: $API_KEY" | json 'v.items[0].studentNo')
curl -sf -X POST "$SERVICE/api/cases" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
  -d "{\"student\":\"$STUDENT_NO\",\"category\":\"emergency\",\"description\":\"突发疾病住院（升级测试）\"}" > /dev/null
run_workflow "$ESCALATION_ID"
echo "  case escalation: $(mails_to collegeleader1@demo.edu.cn 逾期未办结) mail to collegeleader1, group: $(robot_says 重点沟通逾期升级)"
[ "$(mails_to collegeleader1@demo.edu.cn 逾期未办结)" -ge 1 ] || fail "no escalation e-mail to the college leader"
[ "$(robot_says 重点沟通逾期升级)" -ge 1 ] || fail "no escalation message to the group robot"

feedback() { # studentName → submission id
  curl -sf -X POST "$SERVICE/form/termLetterFeedback/submission" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
    -d "{\"data\":{\"studentName\":\"$1\",\"parentName\":\"家长\",\"satisfaction\":\"satisfied\",\"opinions\":\"希望加强安全教育\",\"wantsReply\":\"yes\"}}" | json 'v._id'
}
status_of() { curl -sf "$SERVICE/form/termLetterFeedback/submission/$1" -H "X-API-Key: $API_KEY" | json 'v.data.handlingStatus'; }

BEFORE_ID=$(feedback "启动前")

echo "== n8n start with workflow $INTAKE_ID published"
for id in "$INTAKE_ID" "$OPENED_ID" "$GOODNEWS_ID"; do
  $N8N publish:workflow --id="$id" > "$WORK/publish-$id.log" 2>&1 || { cat "$WORK/publish-$id.log"; fail "publish $id"; }
done
$N8N start > "$WORK/n8n.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$N8N_PORT/healthz" 180 || { tail -50 "$WORK/n8n.log"; fail "n8n did not start"; }
for _ in $(seq 1 60); do
  SUBS=$(curl -sf "$SERVICE/api/webhooks" -H "X-API-Key: $API_KEY")
  [ "$(echo "$SUBS" | json 'v.length')" -ge 3 ] && break
  sleep 1
done
HOOK_URL=$(echo "$SUBS" | json 'v.find(s=>s.events.includes("submission.created"))?.url')
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

echo "== trigger workflows: case opened, good-news letter"
curl -sf -X POST "$SERVICE/api/cases" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
  -d "{\"student\":\"$STUDENT_NO\",\"category\":\"academic\",\"description\":\"本学期三门课程不及格\"}" > /dev/null
AWARD_ID=$(curl -sf -X POST "$SERVICE/api/awards" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
  -d "{\"student\":\"$STUDENT_NO\",\"kind\":\"award\",\"title\":\"全国职业院校技能大赛一等奖\",\"level\":\"national\",\"category\":\"competition\",\"date\":\"2026-11-01\"}" | json 'v.id')
for _ in $(seq 1 60); do
  [ "$(mails_to counselor1@demo.edu.cn 重点沟通)" -ge 1 ] && [ "$(mails_to counselor1@demo.edu.cn 喜报)" -ge 1 ] && break
  sleep 1
done
echo "  case opened: $(mails_to counselor1@demo.edu.cn 重点沟通) mail to counselor1, group: $(robot_says 新的重点沟通事项)"
[ "$(mails_to counselor1@demo.edu.cn 重点沟通)" -ge 1 ] || { tail -30 "$WORK/n8n.log"; fail "no case notification to the counselor"; }
[ "$(robot_says 新的重点沟通事项)" -ge 1 ] || fail "no case message to the group robot"
for _ in $(seq 1 30); do
  DELIVERIES=$(curl -sf "$SERVICE/api/awards?limit=50" -H "X-API-Key: $API_KEY" | json "v.items.find(a=>a.id==='$AWARD_ID').deliveries.length")
  [ "$DELIVERIES" -ge 1 ] && break
  sleep 1
done
LETTER_OK=$(node -e "const fs=require('fs');const m=fs.readFileSync(process.argv[1],'utf8').trim().split('\n').map(JSON.parse);console.log(m.some(x=>x.subject.includes('喜报')&&x.html.includes('全国职业院校技能大赛一等奖')))" "$WORK/mail.jsonl")
echo "  good-news letter: e-mailed with the letter: $LETTER_OK, deliveries recorded: $DELIVERIES"
[ "$LETTER_OK" = "true" ] || fail "the 喜报 was not e-mailed"
[ "$DELIVERIES" -ge 1 ] || fail "the 喜报 delivery was not recorded"

echo "e2e: 1 passed, 0 failed"
