# Sourced by test/e2e/run.sh after term-letter-send-step.sh: a parent answers one of the letters just sent, on
# its page's API with the link of its SMS alone; the service delivers feedback.received to the real n8n's
# published trigger and the shipped feedback-routing workflow tells the ticket's owner by e-mail and the
# group; then the owner's side through the staff API: closing too early is refused, respond, follow through, close.
echo "== term letter: a parent's feedback on the letter's page reaches its owner through the feedback-routing workflow"
FAMILY_LINK=$(head -n 1 "$WORK/sms.jsonl" | json 'v.body.text.match(/https?:\/\/\S+\/l\/[0-9a-f]{24}\.[A-Za-z0-9_-]+/)[0]')
FAMILY_TOKEN=${FAMILY_LINK##*/l/}
[ -n "$FAMILY_TOKEN" ] || fail "no letter link in the SMS sent"
parent() { curl -sf "$SERVICE/api/parent-letters/$FAMILY_TOKEN$1" "${@:2}"; }
[ "$(parent '' | json 'v.canAnswer')" = "true" ] || fail "the letter's page does not take feedback"
SUBMISSION=$(node -e "console.log(require('crypto').randomUUID())")
parent /feedback -X POST -H 'Content-Type: application/json' \
  -d "{\"submissionId\":\"$SUBMISSION\",\"items\":[{\"topic\":\"safety\",\"text\":\"希望加强宿舍用电安全检查（e2e）\"}],\"contactWish\":{\"wanted\":true,\"phone\":\"13800000000\",\"when\":\"工作日晚上\"}}" > /dev/null \
  || fail "the parent's feedback was not taken"
FAMILY_LETTER=${FAMILY_TOKEN%%.*}
TICKET_ID="$FAMILY_LETTER:$SUBMISSION:safety"
TICKET_ROUTE="$SERVICE/api/feedback-tickets/$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "$TICKET_ID")"
ticket() { curl -sf "$TICKET_ROUTE" -H "X-API-Key: $API_KEY" | json "$1"; }
OWNER_EMAIL=$(ticket 'v.owner.email ?? ""'); OWNER_NAME=$(ticket 'v.owner.name')
COLLEGE_NAME=$(ticket 'v.college.name ?? ""')
echo "  ticket $TICKET_ID: $(ticket 'v.topicLabel') for $OWNER_NAME <$OWNER_EMAIL> ($(ticket 'v.routedBy')), due $(ticket 'v.dueAt')"
[ -n "$OWNER_EMAIL" ] || fail "the ticket's owner has no e-mail address"
ROUTED_SUBJECT="【家校心桥】家长反馈待回应：$COLLEGE_NAME · 安全"
for _ in $(seq 1 60); do [ "$(mails_to "$OWNER_EMAIL" "$ROUTED_SUBJECT")" -ge 1 ] && [ "$(robot_says "家长反馈待回应：$COLLEGE_NAME · 安全，负责人 $OWNER_NAME")" -ge 1 ] && break; sleep 1; done
ROUTED=$(mails | json "JSON.stringify(v.find(x=>x.to.includes('$OWNER_EMAIL')&&x.subject.includes('$ROUTED_SUBJECT')) ?? null)")
echo "  to the owner: $(echo "$ROUTED" | json 'v?.subject'); group: $(robot_says "家长反馈待回应：$COLLEGE_NAME · 安全，负责人 $OWNER_NAME") message(s)"
[ "$ROUTED" != "null" ] || fail "no e-mail to the feedback's owner; the routing workflow's last run: $(last_run 'feedback to its owner')"
echo "$ROUTED" | json 'v.text' | grep -q "${OWNER_NAME}老师" && echo "$ROUTED" | json 'v.text' | grep -q '“安全”方面的意见建议' && echo "$ROUTED" | json 'v.text' | grep -q '家长希望与学校电话沟通' \
  || fail "the owner's e-mail does not name them, the topic and the parent's wish to be called"
[ "$(robot_says "家长反馈待回应：$COLLEGE_NAME · 安全，负责人 $OWNER_NAME")" -eq 1 ] || fail "the group was not told once of the new feedback"
! echo "$ROUTED" | json 'v.text' | grep -q '宿舍用电' || fail "the parent's text went out by e-mail"

echo "  the owner's side: closing before a follow-through is refused; respond, follow through, close"
staff() { curl -s -o "$WORK/ticket-answer.json" -w '%{http_code}' -X POST "$TICKET_ROUTE$1" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' "${@:2}"; }
[ "$(staff /response -d '{"text":"感谢您的建议，学院本周将开展宿舍用电安全检查。"}')" = "200" ] || fail "no response recorded: $(cat "$WORK/ticket-answer.json")"
[ "$(staff /close)" = "409" ] && [ "$(json 'v.code' < "$WORK/ticket-answer.json")" = "TICKET_INCOMPLETE" ] || fail "a ticket without a follow-through was closed: $(cat "$WORK/ticket-answer.json")"
echo "  too early: $(json 'v.messageZh ?? v.message' < "$WORK/ticket-answer.json")"
[ "$(staff /follow-through -d '{"text":"已会同宿管中心完成全部宿舍用电检查。"}')" = "200" ] || fail "no follow-through recorded: $(cat "$WORK/ticket-answer.json")"
[ "$(staff /close)" = "200" ] && [ "$(json 'v.state' < "$WORK/ticket-answer.json")" = "closed" ] || fail "the ticket did not close: $(cat "$WORK/ticket-answer.json")"
PARENT_SEES=$(parent '' | json "JSON.stringify(v.feedbacks.find(f=>f.id==='$TICKET_ID') ?? v.feedbacks[0])")
echo "  the parent's page: $(echo "$PARENT_SEES" | json 'JSON.stringify({state: v.state, responses: (v.responses ?? []).map(r=>r.text)})')"
echo "$PARENT_SEES" | grep -q '学院本周将开展宿舍用电安全检查' || fail "the parent's page does not show the school's response"

echo "== term letter closed: the closing-report workflow mails student affairs the report workbook"
curl -sf -X POST "$SERVICE/api/letter-campaigns/$LETTER/close" -H "X-API-Key: $API_KEY" > /dev/null || fail "term-letter campaign not closed"
run_workflow "$(wf_id 'closing report to student affairs')"
CLOSING=$(mails | json "JSON.stringify(v.find(x=>x.to.includes('studentaffairs@demo.edu.cn')&&x.subject.includes('致家长的一封信（e2e） 总结报告')) ?? null)")
echo "  to student affairs: $(echo "$CLOSING" | json 'v ? v.subject + " with " + (v.attachments ?? []).map(a=>a.filename + " (" + a.size + " bytes)").join(", ") : "nothing"')"
[ "$CLOSING" != "null" ] || fail "no closing report to student affairs; its last run: $(last_run 'closing report to student affairs')"
SHEETS=$(node -e "const E=require('exceljs');const b=new E.Workbook();b.xlsx.readFile(process.argv[1]).then(()=>{const s=b.getWorksheet('汇总');const cells=[];s.eachRow(r=>cells.push(r.values.slice(1).join('=')));console.log(b.worksheets.map(w=>w.name).join(',') + ' | ' + cells.join('; '))})" "$(echo "$CLOSING" | json 'v.attachments[0].saved')")
echo "  workbook: $SHEETS"
echo "$SHEETS" | grep -q '^汇总,学院,辅导员,反馈主题,未办结 |' || fail "the closing report's workbook does not have its five sheets"
echo "$CLOSING" | json 'v.text' | grep -q "覆盖家庭 $(letter_progress 'v.families') 户" || fail "the closing report's text does not give the families reached"
