# Sourced by test/e2e/run.sh once the workflows are provisioned and the event ones published (C1–C2): a mentoring
# group proposed through the API; the service delivers mentoring.proposed to the real n8n, whose shipped approval
# workflow e-mails the college leader with n8n's send-and-wait; the link in that mail is opened and the form
# submitted the way a browser does, and the group is active in the service, its leader told. Then the group falls
# silent (its last activity moved five weeks back in the database): the service's minute sweep publishes
# mentoring.inactive and the leader receives the reminder. Last, the monthly report goes to student affairs.
echo "== mentoring groups: a proposed group approved through n8n's send-and-wait, a silent group's leader reminded"
mentoring_api() { curl -s -o "$WORK/mentoring-answer.json" -w '%{http_code}' "$SERVICE/api$1" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' "${@:2}"; }
MENTEES=$(curl -sf "$SERVICE/api/students?careTier=special&college=$COLLEGE&limit=10" -H "X-API-Key: $API_KEY" | json 'v.items.map(s=>s.id).join(" ")')
[ -n "$MENTEES" ] || fail "no special student in the college $COLLEGE"
GROUP_ID=""
for MENTEE_ID in $MENTEES; do
  [ "$(mentoring_api "/mentoring-groups/suggestions?student=$MENTEE_ID")" = "200" ] || fail "no mentor suggestions: $(cat "$WORK/mentoring-answer.json")"
  MEMBERS=$(json 'JSON.stringify(v.items.slice(0, 3).map((s, i) => ({ user: s.userId, employment: i ? "partTime" : "fullTime", role: i ? "member" : "leader" })))' < "$WORK/mentoring-answer.json")
  CODE=$(mentoring_api /mentoring-groups -X POST -d "{\"student\":\"$MENTEE_ID\",\"members\":$MEMBERS,\"needs\":[{\"area\":\"studyInterest\",\"note\":\"专业课学习动力不足\"},{\"area\":\"practicalDifficulties\",\"note\":\"家庭经济困难\"}],\"plan\":\"每两周面谈一次，协助申请助学金（e2e）\"}")
  [ "$CODE" = "201" ] && { GROUP_ID=$(json 'v.id' < "$WORK/mentoring-answer.json"); break; }
  [ "$CODE" = "409" ] || fail "the group was not proposed: HTTP $CODE $(cat "$WORK/mentoring-answer.json")"
done
[ -n "$GROUP_ID" ] || fail "every special student tried already has a group"
group_of() { curl -sf "$SERVICE/api/mentoring-groups/$GROUP_ID" -H "X-API-Key: $API_KEY" | json "$1"; }
MENTEE_NAME=$(group_of 'v.student.name'); LEADER_EMAIL=$(group_of 'v.members.find(m=>m.role==="leader").email'); LEADER_NAME=$(group_of 'v.members.find(m=>m.role==="leader").name')
echo "  group $GROUP_ID proposed for $MENTEE_NAME: $(group_of 'v.members.map(m=>m.name+"（"+m.role+"）").join("、")'), leader <$LEADER_EMAIL>"
[ -n "$LEADER_EMAIL" ] || fail "the group's leader has no e-mail address"

ASK_SUBJECT="结对帮扶小组待审批：$MENTEE_NAME"
for _ in $(seq 1 60); do [ "$(mails_to collegeleader1@demo.edu.cn "$ASK_SUBJECT")" -ge 1 ] && break; sleep 1; done
ASK=$(mails | json "JSON.stringify(v.filter(x=>x.to.includes('collegeleader1@demo.edu.cn')&&x.subject.includes('$ASK_SUBJECT')).pop() ?? null)")
[ "$ASK" != "null" ] || fail "no approval request to the college leader; the approval workflow's last run: $(last_run 'Mentoring group approval')"
echo "  mail to collegeleader1: $(echo "$ASK" | json 'v.subject')"
echo "$ASK" | json 'v.html' | grep -q "专业课学习动力不足" && echo "$ASK" | json 'v.html' | grep -q "$LEADER_NAME（组长，专职）" || fail "the approval request does not show the needs and the members"
ASK_LINK=$(echo "$ASK" | json '(v.html.match(/href="([^"]*webhook-waiting[^"]*)"/) || [])[1]?.replace(/&amp;/g, "&") ?? ""')
[ -n "$ASK_LINK" ] || fail "no approval link in the mail"
ASK_PAGE=$(curl -sf -A 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' "$ASK_LINK") || fail "the approval link does not open"
echo "$ASK_PAGE" | grep -q '审批意见' && echo "$ASK_PAGE" | grep -Eq "name=['\"]field-0['\"]" || fail "the approval form does not ask for the decision"
curl -sf -A 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' -X POST "$ASK_LINK" -F 'field-0=批准' -F 'field-1=' > /dev/null || fail "the approval form was not accepted"
for _ in $(seq 1 60); do [ "$(group_of 'v.state')" = "active" ] && break; sleep 1; done
echo "  after the form: state $(group_of 'v.state'), approved by $(group_of 'v.approvedBy') at $(group_of 'v.approvedAt')"
[ "$(group_of 'v.state')" = "active" ] || fail "the group did not become active; the approval workflow's last run: $(last_run 'Mentoring group approval')"
APPROVER_NAME=$(curl -sf "$SERVICE/api/staff?q=collegeleader1" -H "X-API-Key: $API_KEY" | json 'v.items.find(u=>u.username==="collegeleader1").displayName')
[ "$(group_of 'v.approvedByName')" = "$APPROVER_NAME" ] || fail "the approval is recorded for $(group_of 'v.approvedByName'), not for the college leader who answered ($APPROVER_NAME)"
for _ in $(seq 1 30); do [ "$(mails_to "$LEADER_EMAIL" "结对帮扶小组已批准成立：$MENTEE_NAME")" -ge 1 ] && break; sleep 1; done
[ "$(mails_to "$LEADER_EMAIL" "结对帮扶小组已批准成立：$MENTEE_NAME")" -eq 1 ] || fail "the leader was not told once that the group is formed"

echo "  the group falls silent: its last activity five weeks ago; the minute sweep announces it, n8n reminds the leader"
DB_PORT=$(ps -eww -o args | grep -F "$WORK/service/db" | grep -v grep | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const m=/--port[ =](\d+)|-listen \S+:(\d+)/.exec(s);console.log(m?(m[1]??m[2]):'')})")
[ -n "$DB_PORT" ] || fail "the service's embedded database was not found"
node -e "
  const { MongoClient, ObjectId } = require('mongodb');
  const client = new MongoClient('mongodb://127.0.0.1:$DB_PORT/');
  client.connect().then(() => client.db('home_school_bridge').collection('mentoringgroups').updateOne({ _id: new ObjectId('$GROUP_ID') }, { \$set: { lastActivityAt: new Date(Date.now() - 35 * 864e5) } }))
    .then((r) => { if (r.matchedCount !== 1) throw new Error('group not found'); return client.close(); }).catch((e) => { console.error(e.message); process.exit(1); });" || fail "could not move the group's last activity back"
REMIND_SUBJECT="结对帮扶提醒：$MENTEE_NAME 的帮扶已 5 周没有记录"
for _ in $(seq 1 100); do [ "$(mails_to "$LEADER_EMAIL" "$REMIND_SUBJECT")" -ge 1 ] && break; sleep 1; done
REMIND=$(mails | json "JSON.stringify(v.find(x=>x.to.includes('$LEADER_EMAIL')&&x.subject.includes('$REMIND_SUBJECT')) ?? null)")
[ "$REMIND" != "null" ] || fail "no inactivity reminder to the leader; the inactivity workflow's last run: $(last_run 'Mentoring inactivity reminders')"
echo "  to the leader: $(echo "$REMIND" | json 'v.subject')"
echo "$REMIND" | json 'v.text' | grep -q "${LEADER_NAME}老师" && echo "$REMIND" | json 'v.text' | grep -qF "$SERVICE/mentoring/$GROUP_ID" || fail "the reminder does not name the leader and link the group (an address that opens)"

run_workflow "$(wf_id 'Mentoring monthly report')"
MONTHLY=$(mails | json "JSON.stringify(v.find(x=>x.to.includes('studentaffairs@demo.edu.cn')&&x.subject.includes('结对帮扶月报')) ?? null)")
echo "  monthly report: $(echo "$MONTHLY" | json 'v?.subject'); $(echo "$MONTHLY" | json 'v?.text.split("\n").find(l=>l.startsWith("全校合计"))')"
[ "$MONTHLY" != "null" ] || fail "no monthly mentoring report to student affairs; its last run: $(last_run 'Mentoring monthly report')"
