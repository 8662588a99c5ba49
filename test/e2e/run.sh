#!/usr/bin/env bash
# End to end with a real n8n 2.x, the way a user sets it up (README "n8n"): the packed tarball installed
# with npm into ~/.n8n/nodes, n8n's owner and an API key created over n8n's REST API, then
# `npm run n8n:provision` imports the workflow files exactly as shipped, with a credential of a
# non-default name. Every shipped workflow runs: the scheduled ones headless (`n8n execute`), the
# event-triggered ones published, against local SMTP and group-robot recorders.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
STARTED=$(date +%s)

export HSB_CACHE="${HSB_CACHE:-$HOME/.cache/home-school-bridge}"
INSTALLED=$(bash .ci/install-n8n.sh | tail -n 2)
NODE24_BIN=$(echo "$INSTALLED" | head -n 1)
N8N_HOME=$(echo "$INSTALLED" | tail -n 1)
N8N="$NODE24_BIN/node $N8N_HOME/node_modules/n8n/bin/n8n"
WORK=$(mktemp -d /tmp/hsb-e2e-XXXXXX)
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
SERVICE_PORT=$(free_port); N8N_PORT=$(free_port); SMTP_PORT=$(free_port); ROBOT_PORT=$(free_port); SMS_PORT=$(free_port)
SERVICE="http://127.0.0.1:$SERVICE_PORT"
N8N_URL="http://127.0.0.1:$N8N_PORT"
CREDENTIAL_NAME="家校心桥 · 学工部（e2e）"
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
HSB_DATA_DIR="$WORK/service" PORT=$SERVICE_PORT HSB_LOG_LEVEL=warn HSB_WEBHOOK_RETRY_BASE_MS=500 HSB_CASE_DAYS_EMERGENCY=0 HSB_WEBHOOK_ALLOWED_HOSTS=127.0.0.1 HSB_DEADLINE_CHECK_MS=2000 HSB_VISIT_REPORT_GRACE_DAYS=0 \
  node dist/server/main.js > "$WORK/service.log" 2>&1 &
PIDS+=($!)
wait_for "$SERVICE/ready" 120 || { cat "$WORK/service.log"; fail "service not ready"; }
node test/e2e/recorders.mjs "$SMTP_PORT" "$ROBOT_PORT" "$WORK" "$SMS_PORT" > "$WORK/recorders.log" 2>&1 &
PIDS+=($!)
touch "$WORK/mail.jsonl" "$WORK/robot.jsonl" "$WORK/sms.jsonl"
for _ in $(seq 1 20); do grep -q "is ready" "$WORK/service.log" && break; sleep 0.5; done
API_KEY=$(sed -n 's/^  API key  *\(hsb_[A-Za-z0-9_-]*\)$/\1/p' "$WORK/service.log")
[ -n "$API_KEY" ] || fail "no API key printed by the service"

echo "== the package: npm run pack:n8n's tarball, installed with npm into ~/.n8n/nodes"
TARBALL=$(node scripts/pack-n8n-package.mjs)
echo "packed $(basename "$TARBALL") ($(tar -tzf "$TARBALL" | wc -l) files)"
export N8N_USER_FOLDER="$WORK/n8n"
NODES_DIR="$N8N_USER_FOLDER/.n8n/nodes"
mkdir -p "$NODES_DIR"
(cd "$NODES_DIR" && npm install --no-audit --no-fund --legacy-peer-deps "$TARBALL" > "$WORK/npm-install.log" 2>&1) || { cat "$WORK/npm-install.log"; fail "npm install of the tarball"; }
INSTALLED_PACKAGE="$NODES_DIR/node_modules/n8n-nodes-home-school-bridge"
[ -d "$INSTALLED_PACKAGE" ] && [ ! -L "$INSTALLED_PACKAGE" ] || fail "the tarball was not installed as a copied folder"
[ ! -e "$NODES_DIR/node_modules/n8n-workflow" ] || fail "npm installed the n8n-workflow peer dependency beside the package"
echo "installed into $INSTALLED_PACKAGE (a folder, not a symlink; no peer dependency copied)"

echo "== n8n $($N8N --version) in $N8N_USER_FOLDER"
export N8N_PORT N8N_LISTEN_ADDRESS=127.0.0.1 N8N_DIAGNOSTICS_ENABLED=false \
  N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_PERSONALIZATION_ENABLED=false N8N_SECURE_COOKIE=false \
  WEBHOOK_URL="$N8N_URL/" N8N_ENCRYPTION_KEY="e2e-$(date +%s)-$RANDOM" DB_SQLITE_POOL_SIZE=2 \
  N8N_RUNNERS_ENABLED=false N8N_LOG_LEVEL=info N8N_BLOCK_ENV_ACCESS_IN_NODE=true
# n8n starts a task broker even with runners off; each n8n process here gets its own free port for it.
N8N_RUNNERS_BROKER_PORT=$(free_port) $N8N start > "$WORK/n8n.log" 2>&1 &
PIDS+=($!)
wait_for "$N8N_URL/healthz/readiness" 180 || { tail -50 "$WORK/n8n.log"; fail "n8n did not start"; }

# What a user does once in the editor: set up the owner, then Settings → n8n API → Create an API key.
COOKIES="$WORK/n8n-cookies.txt"
curl -sf -c "$COOKIES" -X POST "$N8N_URL/rest/owner/setup" -H 'Content-Type: application/json' \
  -d '{"email":"owner@demo.edu.cn","firstName":"Owner","lastName":"E2E","password":"E2e-owner-passw0rd"}' > /dev/null || fail "n8n owner setup"
SCOPES=$(curl -sf -b "$COOKIES" "$N8N_URL/rest/api-keys/scopes" | json 'JSON.stringify(v.data)')
N8N_API_KEY=$(curl -sf -b "$COOKIES" -X POST "$N8N_URL/rest/api-keys" -H 'Content-Type: application/json' \
  -d "{\"label\":\"provisioning\",\"scopes\":$SCOPES,\"expiresAt\":null}" | json 'v.data.rawApiKey')
[ -n "$N8N_API_KEY" ] || fail "no n8n API key"
n8n_api() { curl -sf "$N8N_URL/api/v1$1" -H "X-N8N-API-KEY: $N8N_API_KEY" "${@:2}"; }
node_type_names() { curl -sf -b "$COOKIES" "$N8N_URL/types/nodes.json" | json 'v.filter(t=>t.name.startsWith("n8n-nodes-home-school-bridge.")&&!t.name.endsWith("Tool")).map(t=>t.name).sort().join(",")'; }
echo "community nodes loaded: $(node_type_names)"
[ "$(node_type_names | tr ',' '\n' | wc -l)" -eq 7 ] || fail "n8n did not load the seven nodes of the installed package"

provision() { npm run --silent n8n:provision -- --n8n-url "$N8N_URL" --n8n-api-key "$N8N_API_KEY" "$@"; }

echo "== provisioning with a wrong service API key stops at the credential test, with the service's message"
if provision --service-url "$SERVICE" --service-api-key hsb_000000000000000000_wrongwrongwrongwrongwrong \
  --credential-name "e2e wrong key" > "$WORK/provision-wrong.log" 2>&1; then cat "$WORK/provision-wrong.log"; fail "provisioning accepted a wrong key"; fi
cat "$WORK/provision-wrong.log"
grep -q '请先登录或提供有效的 API 密钥' "$WORK/provision-wrong.log" || fail "the credential test did not show the service's message"
[ "$(n8n_api '/workflows' | json 'v.data.length')" -eq 0 ] || fail "workflows were imported with a failing credential"

echo "== provisioning: credential \"$CREDENTIAL_NAME\", SMTP, the shipped workflows; robot URL and sender not given yet"
provision --service-url "$SERVICE" --service-api-key "$API_KEY" --credential-name "$CREDENTIAL_NAME" \
  --smtp-host 127.0.0.1 --smtp-port "$SMTP_PORT" --smtp-no-starttls > "$WORK/provision-1.log" 2>&1 || { cat "$WORK/provision-1.log"; fail "provisioning"; }
cat "$WORK/provision-1.log"
SHIPPED=$(ls workflows/*.json | wc -l)
[ "$(grep -c '^workflow .* created:' "$WORK/provision-1.log")" -eq "$SHIPPED" ] || fail "not every shipped workflow was created"
wf_id() { n8n_api '/workflows' | json "v.data.find(w=>w.name.includes('$1')).id"; }
OVERVIEW_ID=$(wf_id 'Forms overview'); INTAKE_ID=$(wf_id 'feedback intake'); ARCHIVE_ID=$(wf_id 'Annual archive update')
DIGEST_ID=$(wf_id 'overdue-contact digest'); ESCALATION_ID=$(wf_id 'case escalation'); OPENED_ID=$(wf_id 'case opened'); GOODNEWS_ID=$(wf_id 'Good-news letter')
BOUND=$(n8n_api "/workflows/$ESCALATION_ID" | json 'v.nodes.filter(n=>n.credentials).map(n=>Object.values(n.credentials)[0].name).join(" | ")')
echo "escalation workflow's credentials: $BOUND"
echo "$BOUND" | grep -q "$CREDENTIAL_NAME" && echo "$BOUND" | grep -q 'School SMTP' || fail "workflow not bound to the provisioned credentials"

execution_error() { # workflow id → message of its latest execution's error
  n8n_api "/executions?workflowId=$1&includeData=true&limit=1" | json 'v.data[0]?.data?.resultData?.error?.message ?? "(no error)"'
}
execute() { # id → execute headless; the run's status on stdout
  if N8N_RUNNERS_BROKER_PORT=$(free_port) $N8N execute --id="$1" --rawOutput > "$WORK/execute-$1.json" 2> "$WORK/execute-$1.log"; then echo success; else echo error; fi
}

echo "== an unconfigured Settings node stops the workflow before anything is sent"
STATUS=$(execute "$ARCHIVE_ID")
MESSAGE=$(execution_error "$ARCHIVE_ID")
echo "executed $ARCHIVE_ID unconfigured: $STATUS — $MESSAGE"
[ "$STATUS" = "error" ] || fail "an unconfigured workflow ran"
echo "$MESSAGE" | grep -q 'robotUrl（群机器人 Webhook 地址' && echo "$MESSAGE" | grep -q 'fromEmail' || fail "the stop does not name the settings to fill in"
[ ! -s "$WORK/mail.jsonl" ] && [ ! -s "$WORK/robot.jsonl" ] || fail "an unconfigured workflow sent something"

echo "== a wrong API key in the credential reaches the node's error with the service's message"
CREDENTIAL_ID=$(n8n_api '/credentials' | json "v.data.find(c=>c.name==='$CREDENTIAL_NAME').id")
n8n_api "/credentials/$CREDENTIAL_ID" -X PATCH -H 'Content-Type: application/json' \
  -d '{"data":{"apiKey":"hsb_000000000000000000_wrongwrongwrongwrongwrong"},"isPartialData":true}' > /dev/null || fail "patch credential"
STATUS=$(execute "$OVERVIEW_ID")
MESSAGE=$(execution_error "$OVERVIEW_ID")
echo "executed $OVERVIEW_ID with a wrong key: $STATUS — $MESSAGE"
[ "$STATUS" = "error" ] && echo "$MESSAGE" | grep -q '请先登录或提供有效的 API 密钥 / Sign in or send a valid API key' || fail "the node error lost the service's message"

echo "== provisioning again: robot URL and sender given, event workflows published; same workflows updated in place"
HOOKS_BEFORE=$(n8n_api "/workflows/$INTAKE_ID" | json 'v.nodes.map(n=>n.webhookId).filter(Boolean).join()')
provision --service-url "$SERVICE" --service-api-key "$API_KEY" --credential-name "$CREDENTIAL_NAME" \
  --robot-url "http://127.0.0.1:$ROBOT_PORT/cgi-bin/webhook/send?key=e2e" --from-email home-school-bridge@demo.edu.cn \
  --sms-gateway-url "http://127.0.0.1:$SMS_PORT/sms/send" --student-affairs-email studentaffairs@demo.edu.cn \
  --publish events > "$WORK/provision-2.log" 2>&1 || { cat "$WORK/provision-2.log"; fail "provisioning again"; }
cat "$WORK/provision-2.log"
[ "$(grep -c '^workflow .* updated:' "$WORK/provision-2.log")" -eq "$SHIPPED" ] || fail "re-provisioning did not update every workflow in place"
[ "$(n8n_api '/workflows' | json 'v.data.length')" -eq "$SHIPPED" ] || fail "re-provisioning duplicated workflows"
[ "$(n8n_api "/workflows/$INTAKE_ID" | json 'v.nodes.map(n=>n.webhookId).filter(Boolean).join()')" = "$HOOKS_BEFORE" ] || fail "the trigger's webhook address changed"
[ "$(n8n_api '/workflows?active=true' | json 'v.data.length')" -eq 12 ] || fail "the twelve event workflows are not published"

run_workflow() { # id → fails unless the headless run succeeds
  local status; status=$(execute "$1")
  echo "executed workflow $1: $status"
  [ "$status" = "success" ] || { tail -20 "$WORK/execute-$1.log"; fail "workflow $1: $(execution_error "$1")"; }
}
mails() { node -e "const fs=require('fs');console.log(JSON.stringify(fs.readFileSync(process.argv[1],'utf8').trim().split('\n').filter(Boolean).map(JSON.parse)))" "$WORK/mail.jsonl"; }
mails_to() { mails | json "v.filter(x=>x.to.includes('$1')&&x.subject.includes('$2')).length"; }
robot_says() { node -e "const fs=require('fs');const m=fs.readFileSync(process.argv[1],'utf8').trim().split('\n').filter(Boolean).map(JSON.parse);console.log(m.filter(x=>x.body.text.content.includes(process.argv[2])).length)" "$WORK/robot.jsonl" "$1"; }

echo "== forms overview and the scheduled workflows, executed headless"
run_workflow "$OVERVIEW_ID"
run_workflow "$ARCHIVE_ID"
echo "  archive reminders: $(mails_to counselor1@demo.edu.cn 档案待更新) mail to counselor1, group escalation: $(robot_says 档案更新已过截止日期)"
[ "$(mails_to counselor1@demo.edu.cn 档案待更新)" -ge 1 ] || fail "no archive reminder e-mail"
YEAR_START=$(curl -sf "$SERVICE/api/students/stale-by-counselor" -H "X-API-Key: $API_KEY" | json 'v.startsOn.slice(0, 4)')
REMINDER_DEADLINE=$(mails | json "v.find(x=>x.subject.includes('档案待更新')).text.split('\\n').find(l=>l.startsWith('截止日期'))")
echo "  reminder's deadline: $REMINDER_DEADLINE (academic year from the service, starting $YEAR_START)"
[ "$REMINDER_DEADLINE" = "截止日期：${YEAR_START}年10月31日" ] || fail "the reminder's deadline is not in the service's academic year"
[ "$(robot_says 档案更新已过截止日期)" -ge 1 ] || fail "no archive escalation to the group robot after the deadline"

run_workflow "$DIGEST_ID"
DIGEST_LINE=$(mails | json "v.find(x=>x.to.includes('counselor2@demo.edu.cn')&&x.subject.includes('今日需联系家长'))?.text.split('\n').find(l=>l.startsWith('·'))")
echo "  overdue digest to counselor2, first line: $DIGEST_LINE; group summary: $(robot_says 今日逾期未联系家长)"
echo "$DIGEST_LINE" | grep -Eq '^· .+（学号 .+，.+班，.+学生）$' || fail "the digest does not name each student with number and class"
[ "$(robot_says 今日逾期未联系家长)" -ge 1 ] || fail "no digest summary to the group robot"

STUDENT=$(curl -sf "$SERVICE/api/students?limit=1&q=2022JX" -H "X-API-Key: $API_KEY" | json 'JSON.stringify(v.items[0])')
STUDENT_NO=$(echo "$STUDENT" | json 'v.studentNo'); STUDENT_NAME=$(echo "$STUDENT" | json 'v.name'); CLASS_NAME=$(echo "$STUDENT" | json 'v.className')
curl -sf -X POST "$SERVICE/api/cases" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
  -d "{\"student\":\"$STUDENT_NO\",\"category\":\"emergency\",\"description\":\"突发疾病住院（升级测试）\"}" > /dev/null
run_workflow "$ESCALATION_ID"
ESCALATION_TEXT=$(mails | json "v.find(x=>x.to.includes('collegeleader1@demo.edu.cn')&&x.subject.includes('逾期未办结'))?.text ?? ''")
echo "  case escalation mail to collegeleader1: $(echo "$ESCALATION_TEXT" | sed -n 3p)"
echo "  group: $(node -e "const m=require('fs').readFileSync(process.argv[1],'utf8').trim().split('\n').map(JSON.parse);console.log(m.map(x=>x.body.text.content).find(c=>c.includes('重点沟通逾期升级')))" "$WORK/robot.jsonl")"
echo "$ESCALATION_TEXT" | grep -q "$CLASS_NAME $STUDENT_NAME（学号 $STUDENT_NO）" || fail "the escalation mail does not name the student"
[ "$(robot_says "重点沟通逾期升级：$CLASS_NAME $STUDENT_NAME（学号 $STUDENT_NO）")" -ge 1 ] || fail "the escalation robot message does not name the student"

feedback() { # studentName → submission id
  curl -sf -X POST "$SERVICE/form/termLetterFeedback/submission" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
    -d "{\"data\":{\"studentName\":\"$1\",\"parentName\":\"家长\",\"satisfaction\":\"satisfied\",\"opinions\":\"希望加强安全教育\",\"wantsReply\":\"yes\"}}" | json 'v._id'
}
status_of() { curl -sf "$SERVICE/form/termLetterFeedback/submission/$1" -H "X-API-Key: $API_KEY" | json 'v.data.handlingStatus'; }

echo "== event-triggered workflows, published by the provisioning command"
for _ in $(seq 1 60); do
  SUBS=$(curl -sf "$SERVICE/api/webhooks" -H "X-API-Key: $API_KEY")
  [ "$(echo "$SUBS" | json 'v.length')" -ge 6 ] && break
  sleep 1
done
HOOK_URL=$(echo "$SUBS" | json 'v.find(s=>s.events.includes("submission.created"))?.url')
echo "trigger registered with the service: $(echo "$SUBS" | json 'v.map(s=>s.events.join(",")+" → "+s.url).join("; ")')"
echo "$HOOK_URL" | grep -q "127.0.0.1:$N8N_PORT" || { tail -50 "$WORK/n8n.log"; fail "no subscription for the n8n webhook"; }

SUBMISSION_ID=$(feedback "触发测试")
for _ in $(seq 1 60); do
  [ "$(status_of "$SUBMISSION_ID")" = "received" ] && break
  sleep 1
done
RESULT=$(status_of "$SUBMISSION_ID")
echo "triggered execution: submission $SUBMISSION_ID handlingStatus=$RESULT (set by n8n through the Form Submission node)"
[ "$RESULT" = "received" ] || { tail -50 "$WORK/n8n.log"; fail "the trigger did not run the workflow"; }

# The genuine delivery ran the workflow; set the submission back to pending, then forge a delivery for it.
curl -sf -X PUT "$SERVICE/form/termLetterFeedback/submission/$SUBMISSION_ID" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
  -d '{"data":{"studentName":"触发测试","parentName":"家长","satisfaction":"satisfied","opinions":"希望加强安全教育","wantsReply":"yes","handlingStatus":"pending"}}' > /dev/null
[ "$(status_of "$SUBMISSION_ID")" = "pending" ] || fail "could not reset the submission"
FORGED="{\"event\":\"submission.created\",\"occurredAt\":\"$(date -u +%FT%TZ)\",\"data\":{\"_id\":\"$SUBMISSION_ID\",\"formPath\":\"termLetterFeedback\"}}"
CODE=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$HOOK_URL" -H 'Content-Type: application/json' \
  -H "X-HSB-Signature: t=$(date +%s),v1=$(printf '%064d' 0)" -d "$FORGED")
sleep 5
FORGED_RESULT=$(status_of "$SUBMISSION_ID")
echo "forged delivery: HTTP $CODE, submission $SUBMISSION_ID handlingStatus=$FORGED_RESULT (unchanged means no execution)"
[ "$CODE" = "401" ] || fail "forged delivery answered $CODE"
[ "$FORGED_RESULT" = "pending" ] || fail "a forged delivery started the workflow"

echo "== trigger workflows: case opened, good-news letter"
curl -sf -X POST "$SERVICE/api/cases" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
  -d "{\"student\":\"$STUDENT_NO\",\"category\":\"academic\",\"description\":\"本学期三门课程不及格\"}" > /dev/null
AWARD_ID=$(curl -sf -X POST "$SERVICE/api/awards" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
  -d "{\"student\":\"$STUDENT_NO\",\"kind\":\"award\",\"title\":\"全国职业院校技能大赛一等奖\",\"level\":\"national\",\"category\":\"competition\",\"date\":\"2026-11-01\"}" | json 'v.id')
for _ in $(seq 1 60); do
  [ "$(mails_to counselor1@demo.edu.cn 重点沟通：)" -ge 1 ] && [ "$(mails_to counselor1@demo.edu.cn 喜报)" -ge 1 ] && break
  sleep 1
done
echo "  case opened: $(mails_to counselor1@demo.edu.cn "重点沟通：$CLASS_NAME $STUDENT_NAME") mail to counselor1, group: $(robot_says "新的重点沟通事项：$CLASS_NAME $STUDENT_NAME（学号 $STUDENT_NO）")"
[ "$(mails_to counselor1@demo.edu.cn "重点沟通：$CLASS_NAME $STUDENT_NAME")" -ge 1 ] || { tail -30 "$WORK/n8n.log"; fail "no case notification naming the student to the counselor"; }
[ "$(robot_says "新的重点沟通事项：$CLASS_NAME $STUDENT_NAME（学号 $STUDENT_NO）")" -ge 1 ] || fail "no case message naming the student to the group robot"
for _ in $(seq 1 30); do
  DELIVERIES=$(curl -sf "$SERVICE/api/awards?limit=50" -H "X-API-Key: $API_KEY" | json "v.items.find(a=>a.id==='$AWARD_ID').deliveries.length")
  [ "$DELIVERIES" -ge 1 ] && break
  sleep 1
done
LETTER_OK=$(mails | json "v.some(x=>x.subject.includes('喜报：$CLASS_NAME $STUDENT_NAME')&&x.html.includes('全国职业院校技能大赛一等奖'))")
echo "  good-news letter: e-mailed with the letter: $LETTER_OK, deliveries recorded: $DELIVERIES"
[ "$LETTER_OK" = "true" ] || fail "the 喜报 was not e-mailed"
[ "$DELIVERIES" -ge 1 ] || fail "the 喜报 delivery was not recorded"

echo "== home visits: campaign launch, plan approval through n8n's send-and-wait (both steps), deadline reminders"
counselor_login() { curl -sf -c "$WORK/counselor-cookies.txt" -X POST "$SERVICE/api/auth/login" -H 'Content-Type: application/json' -d '{"username":"counselor1","password":"demo-password"}' > /dev/null; }
counselor_login || fail "counselor1 cannot sign in"
as_counselor() { curl -sf -b "$WORK/counselor-cookies.txt" "$@"; }
COLLEGE=$(as_counselor "$SERVICE/api/auth/me" | json 'v.college ?? v.user?.college')
VISIT_YEAR=$(( $(date +%Y) + 1 ))
DUE_AT=$(node -e "console.log(new Date(Date.now() + 48 * 3600e3).toISOString())")
CAMPAIGN=$(curl -sf -X POST "$SERVICE/api/visit-campaigns" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
  -d "{\"title\":\"${VISIT_YEAR}年寒假家访（e2e）\",\"theme\":\"家校对接·共促成长\",\"notice\":\"各学院：请按通知要求开展家访。\",\"break\":\"winter\",\"visitStartsOn\":\"${VISIT_YEAR}-01-15\",\"visitEndsOn\":\"${VISIT_YEAR}-02-20\",\"planDueAt\":\"$DUE_AT\"}" | json 'v.id')
[ -n "$CAMPAIGN" ] || fail "campaign not created"
curl -sf -X POST "$SERVICE/api/visit-campaigns/$CAMPAIGN/open" -H "X-API-Key: $API_KEY" > /dev/null || fail "campaign not opened"
for _ in $(seq 1 60); do
  [ "$(mails_to collegeleader1@demo.edu.cn 寒假家访（e2e）已启动)" -ge 1 ] && [ "$(mails_to collegeleader1@demo.edu.cn 家访计划申报还剩约)" -ge 1 ] && break
  sleep 1
done
LAUNCH=$(mails | json "v.find(x=>x.to.includes('collegeleader1@demo.edu.cn')&&x.subject.includes('已启动'))?.subject ?? ''")
REMINDER=$(mails | json "v.find(x=>x.to.includes('collegeleader1@demo.edu.cn')&&x.subject.includes('家访计划申报还剩约'))?.text ?? ''")
echo "  launch: $LAUNCH; group: $(robot_says "${VISIT_YEAR}年寒假家访（e2e）已启动")"
echo "  reminder (72 h stage) to $(mails | json "v.filter(x=>x.subject.includes('家访计划申报还剩约')).map(x=>x.to.join()).sort().join(', ')"): $(echo "$REMINDER" | sed -n 4p)"
last_run() { n8n_api "/executions?workflowId=$(wf_id "$1")&includeData=true&limit=1" | json 'v.data[0] ? v.data[0].status + " at " + v.data[0].data?.resultData?.lastNodeExecuted + ": " + (v.data[0].data?.resultData?.error?.message ?? "") + " " + (v.data[0].data?.resultData?.error?.description ?? "") : "(no execution)"'; }
[ -n "$LAUNCH" ] || fail "no campaign launch announcement to the college leader; its last run: $(last_run 'campaign launch')"
echo "$REMINDER" | grep -q "计划走访 0 人，需至少 3 人（在籍 250 人）" || fail "the deadline reminder does not give the college's numbers"

echo "  a counselor files and submits the plan of college 1 (3 visits, ⌈1% × 250⌉)"
STUDENTS=$(as_counselor "$SERVICE/api/students?limit=3" | json 'JSON.stringify(v.items.map(s=>({student:s.studentNo,mode:"onsite",kind:"general",visitors:[{user:"counselor1"}]})))')
as_counselor -X PUT "$SERVICE/api/visit-campaigns/$CAMPAIGN/plans/$COLLEGE" -H 'Content-Type: application/json' \
  -d "{\"entries\":$STUDENTS,\"implementation\":{\"organization\":\"学院统一部署\",\"schedule\":\"1月15日至2月20日\",\"safety\":\"结伴出行，保持通讯畅通\"}}" > /dev/null || fail "plan not filed"
as_counselor -X POST "$SERVICE/api/visit-campaigns/$CAMPAIGN/plans/$COLLEGE/submit" > /dev/null || fail "plan not submitted"
plan_state() { curl -sf "$SERVICE/api/visit-campaigns/$CAMPAIGN/plans/$COLLEGE" -H "X-API-Key: $API_KEY" | json "$1"; }

decide() { # approver's address → follows the approval link of their mail like a browser and approves
  local to=$1 link page
  for _ in $(seq 1 60); do [ "$(mails_to "$to" 家访计划待审批)" -ge 1 ] && break; sleep 1; done
  local mail; mail=$(mails | json "JSON.stringify(v.filter(x=>x.to.includes('$to')&&x.subject.includes('家访计划待审批')).pop() ?? null)")
  [ "$mail" != "null" ] || fail "no approval request mail to $to; the approval workflow's last run: $(last_run 'Visit plan approval')"
  echo "  mail to $to: $(echo "$mail" | json 'v.subject')"
  echo "$mail" | json 'v.html' | grep -q "计划走访 3 人，需至少 3 人（在籍 250 人）" || fail "the approval request does not give the plan's numbers"
  link=$(echo "$mail" | json '(v.html.match(/href="([^"]*webhook-waiting[^"]*)"/) || [])[1]?.replace(/&amp;/g, "&") ?? ""')
  [ -n "$link" ] || fail "no approval link in the mail to $to"
  page=$(curl -sf -A 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' "$link") || fail "the approval link does not open"
  echo "$page" | grep -q '审批意见' && echo "$page" | grep -Eq "name=['\"]field-0['\"]" || fail "the approval form does not ask for the decision"
  curl -sf -A 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' -X POST "$link" -F 'field-0=批准' -F 'field-1=' > /dev/null || fail "the approval form was not accepted"
  echo "  $to approved through the form at ${link%%\?*}"
}
decide collegeleader1@demo.edu.cn
for _ in $(seq 1 60); do [ "$(plan_state 'v.approvals.length')" -ge 1 ] && break; sleep 1; done
echo "  after the college leader: state $(plan_state 'v.state'), awaiting $(plan_state 'v.awaiting?.roleZh'), approvals $(plan_state 'v.approvals.map(a=>a.byName+" ("+a.roleZh+", relayed by "+a.relayedBy+")").join("; ")')"
[ "$(plan_state 'v.approvals[0]?.role')" = "collegeLeader" ] || fail "the college leader's decision was not written back; the approval workflow's last run: $(last_run 'Visit plan approval')"
decide studentaffairs@demo.edu.cn
for _ in $(seq 1 60); do [ "$(plan_state 'v.state')" = "approved" ] && break; sleep 1; done
echo "  finally: state $(plan_state 'v.state'), approvals $(plan_state 'v.approvals.map(a=>a.roleZh+" "+a.byName).join(" → ")')"
[ "$(plan_state 'v.state')" = "approved" ] || fail "the plan did not end approved; the approval workflow's last run: $(last_run 'Visit plan approval')"
[ "$(plan_state 'v.approvals.map(a=>a.role).join()')" = "collegeLeader,studentAffairs" ] || fail "the approvals are not the college leader's then student affairs'"
for _ in $(seq 1 30); do [ "$(robot_says 家访计划已批准)" -ge 1 ] && break; sleep 1; done
[ "$(robot_says 家访计划已批准)" -ge 1 ] || fail "no group message that the plan is approved"

echo "  a campaign whose plan deadline has passed: escalation to student affairs"
PAST_DUE=$(node -e "console.log(new Date(Date.now() - 3600e3).toISOString())")
LATE=$(curl -sf -X POST "$SERVICE/api/visit-campaigns" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
  -d "{\"title\":\"${VISIT_YEAR}年暑期家访（逾期e2e）\",\"break\":\"summer\",\"visitStartsOn\":\"${VISIT_YEAR}-07-15\",\"visitEndsOn\":\"${VISIT_YEAR}-08-20\",\"planDueAt\":\"$PAST_DUE\",\"colleges\":[\"$COLLEGE\"]}" | json 'v.id')
curl -sf -X POST "$SERVICE/api/visit-campaigns/$LATE/open" -H "X-API-Key: $API_KEY" > /dev/null || fail "late campaign not opened"
for _ in $(seq 1 60); do [ "$(mails_to studentaffairs@demo.edu.cn 家访计划逾期未完成)" -ge 1 ] && break; sleep 1; done
OVERDUE=$(mails | json "v.find(x=>x.to.includes('studentaffairs@demo.edu.cn')&&x.subject.includes('家访计划逾期未完成'))?.subject ?? ''")
echo "  escalation: $OVERDUE"
[ -n "$OVERDUE" ] || fail "no overdue escalation to student affairs"
sleep 5
[ "$(mails_to studentaffairs@demo.edu.cn 家访计划逾期未完成)" -eq 1 ] || fail "the overdue escalation went more than once"
[ "$(mails | json "v.filter(x=>x.to.includes('collegeleader1@demo.edu.cn')&&x.subject.includes('家访计划申报还剩约')).length")" -eq 1 ] || fail "the 72 h reminder went more than once"

echo "== visit reports: the visits missing their report a few days after their day, reminded to the visitor"
# A campaign visiting since up to 20 days ago (within the service's academic year); counselor1's visit was planned for its first day.
WINDOW=$(node -e '
  const day = (d) => d.toISOString().slice(0, 10), today = new Date(new Date().toLocaleDateString("sv", { timeZone: "Asia/Shanghai" }));
  const start = new Date(Math.max(today - 20 * 864e5, Date.parse(process.argv[1] + "-09-01")));
  console.log(day(start), day(new Date(Math.min(today.getTime() + 10 * 864e5, Date.parse((+process.argv[1] + 1) + "-08-31")))));' "$YEAR_START")
VISIT_FROM=${WINDOW% *}; VISIT_TO=${WINDOW#* }
DUE_SOON=$(node -e "console.log(new Date(Date.now() + 3600e3).toISOString())")
REPORTS=$(curl -sf -X POST "$SERVICE/api/visit-campaigns" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
  -d "{\"title\":\"家访报告催交（e2e）\",\"break\":\"winter\",\"visitStartsOn\":\"$VISIT_FROM\",\"visitEndsOn\":\"$VISIT_TO\",\"planDueAt\":\"$DUE_SOON\",\"colleges\":[\"$COLLEGE\"]}" | json 'v.id')
[ -n "$REPORTS" ] || fail "campaign with a past visit day not created"
curl -sf -X POST "$SERVICE/api/visit-campaigns/$REPORTS/open" -H "X-API-Key: $API_KEY" > /dev/null || fail "campaign with a past visit day not opened"
PLANNED=$(as_counselor "$SERVICE/api/students?limit=3" | json "JSON.stringify(v.items.map(s=>({student:s.studentNo,mode:'phone',kind:'general',plannedOn:'$VISIT_FROM',visitors:[{user:'counselor1'}]})))")
as_counselor -X PUT "$SERVICE/api/visit-campaigns/$REPORTS/plans/$COLLEGE" -H 'Content-Type: application/json' \
  -d "{\"entries\":$PLANNED,\"implementation\":{\"organization\":\"学院统一部署\",\"schedule\":\"分批开展\",\"safety\":\"结伴出行\"}}" > /dev/null || fail "plan with past visit days not filed"
as_counselor -X POST "$SERVICE/api/visit-campaigns/$REPORTS/plans/$COLLEGE/submit" > /dev/null || fail "plan with past visit days not submitted"
for approver in collegeleader1 studentaffairs; do
  curl -sf -c "$WORK/$approver-cookies.txt" -X POST "$SERVICE/api/auth/login" -H 'Content-Type: application/json' -d "{\"username\":\"$approver\",\"password\":\"demo-password\"}" > /dev/null || fail "$approver cannot sign in"
  curl -sf -b "$WORK/$approver-cookies.txt" -X POST "$SERVICE/api/visit-campaigns/$REPORTS/plans/$COLLEGE/approve" -H 'Content-Type: application/json' -d '{}' > /dev/null || fail "$approver could not approve"
done
MISSING_ID=$(wf_id 'Visit reports missing')
run_workflow "$MISSING_ID"
MISSING_MAIL=$(mails | json "JSON.stringify(v.find(x=>x.to.includes('counselor1@demo.edu.cn')&&x.subject.includes('家访报告尚未提交')) ?? null)")
echo "  reminder to counselor1: $(echo "$MISSING_MAIL" | json 'v?.subject'); first line: $(echo "$MISSING_MAIL" | json 'v?.text.split("\n").find(l=>l.startsWith("·"))')"
[ "$MISSING_MAIL" != "null" ] || fail "no reminder of the missing reports to counselor1; its last run: $(last_run 'Visit reports missing')"
echo "$MISSING_MAIL" | json 'v.text' | grep -q "家访报告催交（e2e），应于 $VISIT_FROM 前完成" || fail "the reminder does not name the visit's campaign and day"
[ "$(robot_says 家访报告催交：)" -ge 1 ] || fail "no summary of the missing reports to the group robot"

echo "== visit materials: a report submitted with its call-log screenshot, the campaign closed, the college's package e-mailed to student affairs"
ENTRY=$(as_counselor "$SERVICE/api/visit-campaigns/$REPORTS/plans/$COLLEGE" | json 'v.approved.entries[0].id')
REPORT=$(as_counselor -X POST "$SERVICE/api/visit-reports" -H 'Content-Type: application/json' -d "{\"campaign\":\"$REPORTS\",\"college\":\"$COLLEGE\",\"entryId\":\"$ENTRY\"}" | json 'v.id')
[ -n "$REPORT" ] || fail "report not started"
node -e "require('fs').writeFileSync(process.argv[1], Buffer.concat([Buffer.from([0xff,0xd8,0xff,0xe0]), require('crypto').randomBytes(300)]))" "$WORK/call-log.jpg"
SHOT=$(as_counselor -F "file=@$WORK/call-log.jpg" "$SERVICE/api/files" | json 'v.id')
as_counselor -X PATCH "$SERVICE/api/visit-reports/$REPORT" -H 'Content-Type: application/json' \
  -d "{\"visitedOn\":\"$VISIT_FROM\",\"metWith\":\"母亲\",\"orientations\":[\"policy\",\"study\"],\"account\":\"电话家访，与母亲交流学生在校情况。\",\"reflections\":\"家长很支持学校工作。\",\"parentOpinion\":\"希望多沟通。\",\"photos\":[\"$SHOT\"]}" > /dev/null || fail "report not saved"
as_counselor -X POST "$SERVICE/api/visit-reports/$REPORT/submit" > /dev/null || fail "report not submitted"
REPORT_NO=$(as_counselor "$SERVICE/api/visit-reports/$REPORT" | json 'v.student.studentNo')
curl -sf -X POST "$SERVICE/api/visit-campaigns/$REPORTS/close" -H "X-API-Key: $API_KEY" > /dev/null || fail "campaign not closed"
for _ in $(seq 1 60); do [ "$(mails_to studentaffairs@demo.edu.cn 家访材料（1 份报告）)" -ge 1 ] && break; sleep 1; done
PACKAGE=$(mails | json "JSON.stringify(v.find(x=>x.to.includes('studentaffairs@demo.edu.cn')&&x.subject.includes('家访材料（1 份报告）'))?.attachments?.[0] ?? null)")
echo "  to student affairs: $(mails | json "v.find(x=>x.subject.includes('家访材料（1 份报告）'))?.subject ?? ''"); attachment $(echo "$PACKAGE" | json 'v ? v.filename + " (" + v.size + " bytes)" : "none"')"
[ "$PACKAGE" != "null" ] || fail "no materials package e-mailed to student affairs; its last run: $(last_run 'Visit materials at campaign close')"
ENTRIES=$(node -e "require('jszip').loadAsync(require('fs').readFileSync(process.argv[1])).then(z=>console.log(Object.keys(z.files).sort().join(' ')))" "$(echo "$PACKAGE" | json 'v.saved')")
echo "  package: $ENTRIES"
echo "$ENTRIES" | grep -Eq "家访记录/$REPORT_NO-[^ /]+-家访报告\.pdf" && echo "$ENTRIES" | grep -Eq "照片/$REPORT_NO-[^ /]+-家访-1\.jpg" && echo "$ENTRIES" | grep -q '家访计划申报表.pdf' && echo "$ENTRIES" | grep -q '家访活动学院走访统计表.xlsx' \
  || fail "the package does not hold the report, its photo named after the student, the plan and the statistics table"
for _ in $(seq 1 30); do [ "$(robot_says 家访材料包已报送学工部)" -ge 1 ] && break; sleep 1; done
[ "$(robot_says 家访材料包已报送学工部)" -ge 1 ] || fail "no group message that the packages were sent"

echo "== weekly home-visit progress to each college leader, from the statistics"
run_workflow "$(wf_id 'Weekly home-visit progress')"
WEEKLY=$(mails | json "JSON.stringify(v.find(x=>x.to.includes('collegeleader1@demo.edu.cn')&&x.subject.includes('${VISIT_YEAR}年寒假家访（e2e）')&&x.subject.includes('本周家访进度')) ?? null)")
echo "  to collegeleader1: $(echo "$WEEKLY" | json 'v?.subject')"
[ "$WEEKLY" != "null" ] || fail "no weekly progress to the college leader; its last run: $(last_run 'Weekly home-visit progress')"
echo "$WEEKLY" | json 'v.text' | grep -q '批准计划 3 人：已家访 0 人，未家访 3 人' || fail "the weekly progress does not give the plan's figures"
[ "$(robot_says 家访周报：)" -ge 1 ] || fail "no weekly summary to the group robot"

echo "== the school's statistics table sent to student affairs the day before it is due"
SOON=$(node -e "console.log(new Date(Date.now() + 6 * 3600e3).toISOString())")
STATS=$(curl -sf -X POST "$SERVICE/api/visit-campaigns" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
  -d "{\"title\":\"${VISIT_YEAR}年寒假家访（统计e2e）\",\"break\":\"winter\",\"visitStartsOn\":\"${VISIT_YEAR}-01-15\",\"visitEndsOn\":\"${VISIT_YEAR}-02-20\",\"planDueAt\":\"$SOON\",\"colleges\":[\"$COLLEGE\"]}" | json 'v.id')
curl -sf -X POST "$SERVICE/api/visit-campaigns/$STATS/open" -H "X-API-Key: $API_KEY" > /dev/null || fail "statistics campaign not opened"
run_workflow "$(wf_id 'Visit statistics before the deadline')"
TABLE=$(mails | json "JSON.stringify(v.find(x=>x.to.includes('studentaffairs@demo.edu.cn')&&x.subject.includes('（统计e2e） 走访统计表'))?.attachments?.[0] ?? null)")
echo "  to student affairs: $(echo "$TABLE" | json 'v ? v.filename + " (" + v.size + " bytes)" : "none"')"
[ "$TABLE" != "null" ] || fail "no statistics table to student affairs; its last run: $(last_run 'Visit statistics before the deadline')"
TOTAL_ROW=$(node -e "const E=require('exceljs');const b=new E.Workbook();b.xlsx.readFile(process.argv[1]).then(()=>{const rows=[];b.worksheets[0].eachRow(r=>rows.push(r.values.slice(1).map(v=>v&&v.result!==undefined?v.result:v)));console.log(JSON.stringify(rows.find(r=>String(r[0]).trim()==='合计')??null))})" "$(echo "$TABLE" | json 'v.saved')")
echo "  its 合计 row: $TOTAL_ROW"
[ "$TOTAL_ROW" != "null" ] || fail "the statistics table has no 合计 row"
[ "$(mails | json "v.filter(x=>x.subject.includes('走访统计表')&&x.subject.includes('${VISIT_YEAR}年寒假家访（e2e）')).length")" -eq 0 ] || fail "a table went out for a campaign not due within a day"

# shellcheck source=test/e2e/term-letter-send-step.sh
source test/e2e/term-letter-send-step.sh
# shellcheck source=test/e2e/term-letter-feedback-step.sh
source test/e2e/term-letter-feedback-step.sh
# shellcheck source=test/e2e/mentoring-step.sh
source test/e2e/mentoring-step.sh

echo "== provisioning a third time with nothing new: Settings kept, published workflows republished and still triggered"
provision --credential-name "$CREDENTIAL_NAME" > "$WORK/provision-3.log" 2>&1 || { cat "$WORK/provision-3.log"; fail "provisioning a third time"; }
grep '^credential' "$WORK/provision-3.log"
[ "$(grep -c '^workflow .* updated:' "$WORK/provision-3.log")" -eq "$SHIPPED" ] || fail "the third run did not update every workflow"
ROBOT_SETTING=$(n8n_api "/workflows/$ESCALATION_ID" | json 'v.nodes.find(n=>n.name==="Settings (设置)").parameters.assignments.assignments.find(a=>a.name==="robotUrl").value')
echo "  escalation workflow's robotUrl: $ROBOT_SETTING; published: $(n8n_api '/workflows?active=true' | json 'v.data.length')"
[ "$ROBOT_SETTING" = "http://127.0.0.1:$ROBOT_PORT/cgi-bin/webhook/send?key=e2e" ] || fail "re-provisioning lost a Settings value"
[ "$(n8n_api '/workflows?active=true' | json 'v.data.length')" -eq 12 ] || fail "re-provisioning unpublished a workflow"
AGAIN_ID=$(feedback "再次触发")
for _ in $(seq 1 60); do [ "$(status_of "$AGAIN_ID")" = "received" ] && break; sleep 1; done
echo "  after republishing: submission $AGAIN_ID handlingStatus=$(status_of "$AGAIN_ID")"
[ "$(status_of "$AGAIN_ID")" = "received" ] || { tail -30 "$WORK/n8n.log"; fail "the republished trigger no longer runs"; }

echo "== every message"
MAIL_COUNT=$(mails | json 'v.length'); ROBOT_COUNT=$(wc -l < "$WORK/robot.jsonl")
ATTRIBUTED=$(mails | json 'v.filter(x=>/sent automatically with|n8n\.io/.test((x.text||"")+x.html)).length')
FROMS=$(mails | json '[...new Set(v.map(x=>x.from))].join()')
PATHS=$(node -e "const m=require('fs').readFileSync(process.argv[1],'utf8').trim().split('\n').map(JSON.parse);console.log([...new Set(m.map(x=>x.path))].join())" "$WORK/robot.jsonl")
echo "  $MAIL_COUNT e-mails from $FROMS, $ATTRIBUTED with n8n's attribution; $ROBOT_COUNT robot messages to $PATHS"
[ "$ATTRIBUTED" -eq 0 ] || fail "an e-mail carries n8n's attribution footer"
[ "$FROMS" = "home-school-bridge@demo.edu.cn" ] || fail "an e-mail was sent from another sender"
[ "$PATHS" = "/cgi-bin/webhook/send?key=e2e" ] || fail "a robot message went elsewhere"

echo "== the CLI route of the README, in a fresh n8n folder: n8n import:workflow --input=workflows/<file>.json, twice"
CLI_FOLDER="$WORK/n8n-cli"
cat > "$WORK/cli-credential.json" <<JSON
[{ "id": "cliBridge01", "name": "Home–School Bridge", "type": "homeSchoolBridgeApi", "data": { "baseUrl": "$SERVICE", "apiKey": "$API_KEY" } }]
JSON
cli() { N8N_USER_FOLDER="$CLI_FOLDER" N8N_RUNNERS_BROKER_PORT=$(free_port) $N8N "$@" > "$WORK/cli.log" 2>&1 || { tail -20 "$WORK/cli.log"; fail "n8n $*"; }; }
cli import:credentials --input="$WORK/cli-credential.json"
cli import:workflow --input=workflows/case-opened-notify.json
cli import:workflow --input=workflows/case-opened-notify.json
cli export:workflow --all --output="$WORK/cli-export.json"
CLI_RESULT=$(json 'v.map(w=>w.id+" "+w.nodes.filter(n=>n.credentials?.homeSchoolBridgeApi).map(n=>n.credentials.homeSchoolBridgeApi.id).join()).join("; ")' < "$WORK/cli-export.json")
echo "  imported twice → $CLI_RESULT (workflow id, bound credential id)"
[ "$CLI_RESULT" = "hsbCaseOpened cliBridge01" ] || fail "the CLI import did not give one workflow bound by the credential's name"

echo "e2e: 1 passed, 0 failed ($(( $(date +%s) - STARTED ))s)"
