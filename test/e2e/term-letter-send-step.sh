# Sourced by test/e2e/run.sh once the workflows are provisioned with --sms-gateway-url: the term letter sent
# by SMS through the shipped send workflow, run headless in the real n8n, to the local SMS gateway recorder.
echo "== term letter: a campaign launched, the send workflow run headless, one SMS per family through the SMS gateway"
LETTER_DUE=$(node -e "console.log(new Date(Date.now() + 20 * 864e5).toISOString())")
LETTER=$(curl -sf -X POST "$SERVICE/api/letter-campaigns" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
  -d "{\"title\":\"致家长的一封信（e2e）\",\"term\":\"autumn\",\"html\":\"<p>尊敬的家长：本学期学校各项工作稳步推进，感谢您的支持。</p>\",\"feedbackDueAt\":\"$LETTER_DUE\",\"audience\":{\"colleges\":[\"$COLLEGE\"]},\"channels\":[\"sms\",\"print\"]}" | json 'v.id')
[ -n "$LETTER" ] || fail "term-letter campaign not created"
curl -sf -X POST "$SERVICE/api/letter-campaigns/$LETTER/launch" -H "X-API-Key: $API_KEY" > /dev/null || fail "term-letter campaign not launched"
letter_progress() { curl -sf "$SERVICE/api/letter-campaigns/$LETTER/progress" -H "X-API-Key: $API_KEY" | json "$1"; }
for _ in $(seq 1 120); do [ "$(letter_progress 'v.lettersCreated')" = "true" ] && break; sleep 1; done
[ "$(letter_progress 'v.lettersCreated')" = "true" ] || fail "the term letters were not made"
TO_SEND=$(letter_progress 'v.created - v.print')
echo "  $(letter_progress 'v.families') families: $TO_SEND by SMS, $(letter_progress 'v.print') printed"
[ "$TO_SEND" -gt 100 ] || fail "fewer than two outbox batches to send ($TO_SEND)"
run_workflow "$(wf_id 'sending by SMS')"
SMS_CHECK=$(node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").filter(Boolean).map(JSON.parse);
  const refs = new Set(lines.map((l) => l.body.reference));
  const linked = lines.filter((l) => l.body.text.includes("/l/" + l.body.reference + ".") && l.body.to.length > 0).length;
  console.log(lines.length, refs.size, linked, [...new Set(lines.map((l) => l.path))].join());' "$WORK/sms.jsonl")
read -r SMS_TOTAL SMS_FAMILIES SMS_LINKED SMS_PATHS <<< "$SMS_CHECK"
echo "  SMS gateway received $SMS_TOTAL messages for $SMS_FAMILIES families ($SMS_LINKED with the family's own link) at $SMS_PATHS"
echo "  first: $(head -n 1 "$WORK/sms.jsonl" | json 'v.body.text')"
[ "$SMS_TOTAL" -eq "$TO_SEND" ] && [ "$SMS_FAMILIES" -eq "$TO_SEND" ] && [ "$SMS_LINKED" -eq "$TO_SEND" ] || fail "the SMS gateway did not get one SMS with its link per family; the send workflow's last run: $(execution_error "$(wf_id 'sending by SMS')")"
[ "$SMS_PATHS" = "/sms/send" ] || fail "an SMS went elsewhere"
echo "  progress after sending: $(letter_progress 'JSON.stringify({state: v.state, sent: v.sent, pending: v.pending, failed: v.failed})')"
[ "$(letter_progress 'v.state')" = "open" ] && [ "$(letter_progress 'v.sent')" -eq "$TO_SEND" ] && [ "$(letter_progress 'v.pending')" -eq 0 ] || fail "not every family's letter is recorded as sent"
