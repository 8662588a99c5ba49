// C1: the college's mentoring groups (GET /api/mentoring-groups in the reader's scope) by state, leader and last
// activity, the silent ones flagged (GET …/inactive); approving or rejecting a proposal; and proposing a group
// for a student from the suggested teachers, least loaded first (GET …/suggestions, POST /api/mentoring-groups).
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var el = window.hsbEl;
  var M = window.hsbMentoring;
  var me = null;
  var silent = {};
  var after = null;
  var PAGE = 50;

  M.STATES.forEach(function (s) {
    var option = el('option', '', s[1]);
    option.value = s[0];
    $('filter-state').append(option);
  });
  var params = new URLSearchParams(window.location.search);
  if (params.get('state')) $('filter-state').value = params.get('state');
  if (params.get('inactive') === 'true') $('filter-inactive').checked = true;

  // ---- The groups ----

  function actionsCell(group) {
    var td = el('td', 'text-nowrap');
    if (group.state === 'proposed' && window.hsbCan(me, 'mentoring:approve')) {
      var approve = el('button', 'btn btn-sm btn-success me-1', '批准');
      approve.type = 'button';
      approve.dataset.action = 'approve';
      approve.setAttribute('aria-label', '批准：' + M.title(group));
      var reject = el('button', 'btn btn-sm btn-outline-danger', '不批准');
      reject.type = 'button';
      reject.dataset.action = 'reject';
      reject.setAttribute('aria-label', '不批准：' + M.title(group));
      approve.addEventListener('click', function () { decide(group, 'approve', {}, approve); });
      reject.addEventListener('click', function () { askReason(group, td); });
      td.append(approve, reject);
    } else {
      var open = el('a', 'btn btn-sm btn-outline-primary', '查看');
      open.href = '/mentoring/' + encodeURIComponent(group.id);
      open.setAttribute('aria-label', '查看：' + M.title(group));
      td.append(open);
    }
    return td;
  }

  function askReason(group, td) {
    if (td.querySelector('form')) return;
    var form = el('form', 'mt-2 d-flex flex-wrap gap-1');
    form.noValidate = true;
    var id = 'reason-' + group.id;
    var label = el('label', 'visually-hidden', '不批准的原因');
    label.htmlFor = id;
    var input = el('input', 'form-control form-control-sm');
    input.id = id;
    input.name = 'reason';
    input.placeholder = '不批准的原因';
    input.maxLength = 500;
    var send = el('button', 'btn btn-sm btn-danger', '确认不批准');
    send.type = 'submit';
    form.append(label, input, send);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var reason = input.value.trim();
      input.classList.toggle('is-invalid', !reason);
      if (reason) decide(group, 'reject', { reason: reason }, send);
    });
    td.append(form);
    input.focus();
  }

  function decide(group, action, body, button) {
    button.disabled = true;
    return window.hsbApi('POST', '/api/mentoring-groups/' + encodeURIComponent(group.id) + '/' + action, body).then(function (r) {
      if (!r.ok) throw M.failure(r);
      return reload().then(function () { window.hsbShowMessage('success', (action === 'approve' ? '已批准，帮扶小组成立：' : '已不批准：') + M.title(group)); });
    }).catch(function (error) {
      button.disabled = false;
      window.hsbShowMessage('danger', '操作未成功：' + M.problemText(error));
    });
  }

  function row(group) {
    var tr = el('tr');
    tr.dataset.group = group.id;
    var th = el('th', '');
    th.scope = 'row';
    var link = el('a', '', M.title(group));
    link.href = '/mentoring/' + encodeURIComponent(group.id);
    th.append(link);
    var about = [group.student && group.student.major, group.student && group.student.grade ? group.student.grade + '级' : '', group.college && group.college.name].filter(Boolean);
    if (about.length) th.append(el('div', 'small text-muted fw-normal', about.join(' · ')));
    var state = el('td', '');
    state.append(M.stateBadge(group));
    var leader = M.leaderOf(group);
    var last = el('td', '', group.activityCount && group.lastActivityAt ? window.hsbDate(group.lastActivityAt) : '尚无活动');
    var weeks = silent[group.id];
    if (weeks !== undefined) {
      var flag = el('span', 'badge text-bg-danger ms-1', weeks + ' 周无活动');
      flag.dataset.silent = 'true';
      last.append(flag);
    }
    tr.append(th, state, el('td', '', leader ? leader.name : '—'), el('td', 'text-end', String((group.members || []).length)), last, el('td', 'text-end', String(group.activityCount || 0)), actionsCell(group));
    return tr;
  }

  function query() {
    var q = new URLSearchParams({ limit: String(PAGE) });
    if ($('filter-state').value) q.set('state', $('filter-state').value);
    if ($('filter-inactive').checked) q.set('inactive', 'true');
    if (after) q.set('after', after);
    return '/api/mentoring-groups?' + q.toString();
  }

  function loadPage(replace) {
    return window.hsbGet(query()).then(function (body) {
      var tbody = $('groups').tBodies[0];
      var items = body.items || [];
      if (replace) tbody.replaceChildren();
      items.forEach(function (g) { tbody.append(row(g)); });
      if (replace && !items.length) {
        var tr = el('tr');
        var td = el('td', 'text-muted', '暂无帮扶小组。');
        td.colSpan = 7;
        tr.append(td);
        tbody.append(tr);
      }
      $('total').textContent = '共 ' + (body.total === undefined ? items.length : body.total) + ' 个';
      after = body.next !== undefined ? body.next : (items.length === PAGE ? items[items.length - 1].id : null);
      $('more').classList.toggle('d-none', !after);
    });
  }

  function loadSilent() {
    return window.hsbApi('GET', '/api/mentoring-groups/inactive').then(function (r) {
      silent = {};
      if (r.ok) (r.body.items || []).forEach(function (g) { silent[g.id || g.groupId] = g.weeksSilent; });
    });
  }

  function reload() {
    after = null;
    return loadSilent().then(function () { return loadPage(true); });
  }

  $('filter-state').addEventListener('change', function () { reload().catch(showError); });
  $('filter-inactive').addEventListener('change', function () { reload().catch(showError); });
  $('more').addEventListener('click', function () { loadPage(false).catch(showError); });

  function showError(error) {
    window.hsbShowMessage('danger', '加载失败：' + M.problemText(error));
  }

  // ---- Proposing a group ----

  var fields = {
    student: { control: $('p-student'), feedback: $('p-student-feedback') },
    members: { control: $('suggestions').parentNode, feedback: $('p-members-feedback') },
    needs: { control: $('p-needs-list'), feedback: $('p-needs-feedback') },
    plan: { control: $('p-plan'), feedback: $('p-plan-feedback') },
  };

  M.AREAS.forEach(function (area) {
    var line = el('div', 'row g-2 align-items-center mb-1');
    var check = el('div', 'col-12 col-md-4 form-check ms-2 ms-md-0');
    var box = el('input', 'form-check-input');
    box.type = 'checkbox';
    box.id = 'need-' + area[0];
    box.value = area[0];
    var label = el('label', 'form-check-label', area[1]);
    label.htmlFor = box.id;
    check.append(box, label);
    var noteCol = el('div', 'col-12 col-md-8');
    var note = el('input', 'form-control form-control-sm');
    note.id = 'need-note-' + area[0];
    note.maxLength = 500;
    note.placeholder = '具体情况（选填）';
    note.setAttribute('aria-label', area[1] + '：具体情况');
    noteCol.append(note);
    line.append(check, noteCol);
    $('p-needs-list').append(line);
  });

  function studentOption(s) {
    var option = el('option', '', s.name + ' ' + s.studentNo + (s.major ? ' · ' + s.major : '') + (s.careTier === 'special' ? '' : '（非特殊关爱）'));
    option.value = s.id;
    return option;
  }

  function fillStudents(items, keep) {
    var select = $('p-student');
    var current = keep ? select.value : '';
    var options = [select.options[0]];
    items.forEach(function (s) { options.push(studentOption(s)); });
    select.replaceChildren.apply(select, options);
    if (current && items.some(function (s) { return s.id === current; })) select.value = current;
  }

  function loadStudents(text) {
    var q = new URLSearchParams({ limit: '50' });
    if (text) q.set('q', text);
    else q.set('careTier', 'special');
    return window.hsbGet('/api/students?' + q.toString()).then(function (body) { fillStudents(body.items || [], !text); return body.items || []; });
  }

  var searchTimer = null;
  $('p-search').addEventListener('input', function () {
    clearTimeout(searchTimer);
    var text = $('p-search').value.trim();
    searchTimer = setTimeout(function () {
      loadStudents(text.length >= 2 ? text : '').catch(showError);
    }, 250);
  });

  function suggestionRow(s, index) {
    var tr = el('tr');
    tr.dataset.user = s.userId;
    var pickCell = el('td', '');
    var pick = el('input', 'form-check-input');
    pick.type = 'checkbox';
    pick.name = 'member';
    pick.value = s.userId;
    pick.id = 'pick-' + index;
    pick.setAttribute('aria-label', '选入 ' + s.name);
    pickCell.append(pick);
    var name = el('th', '');
    name.scope = 'row';
    var nameLabel = el('label', '', s.name);
    nameLabel.htmlFor = pick.id;
    name.append(nameLabel);
    if (s.sameMajor) name.append(el('span', 'badge text-bg-info ms-1', '同专业'));
    var employCell = el('td', '');
    var employ = el('select', 'form-select form-select-sm');
    employ.name = 'employment';
    employ.setAttribute('aria-label', s.name + ' 聘任方式');
    Object.keys(M.EMPLOYMENT).forEach(function (key) {
      var option = el('option', '', M.EMPLOYMENT[key]);
      option.value = key;
      employ.append(option);
    });
    employ.value = s.role === 'counselor' ? 'fullTime' : 'partTime';
    employCell.append(employ);
    var leaderCell = el('td', '');
    var leader = el('input', 'form-check-input');
    leader.type = 'radio';
    leader.name = 'leader';
    leader.value = s.userId;
    leader.setAttribute('aria-label', '设 ' + s.name + ' 为组长');
    leader.addEventListener('change', function () { if (leader.checked) pick.checked = true; });
    leaderCell.append(leader);
    tr.append(pickCell, name, el('td', 'small', s.roleLabel || s.role), el('td', 'text-end', String(s.load)), employCell, leaderCell);
    return tr;
  }

  function loadSuggestions() {
    var student = $('p-student').value;
    var tbody = $('suggestions').tBodies[0];
    tbody.replaceChildren();
    if (!student) {
      $('p-members-hint').textContent = '选择学生后显示本学院可选的教师。';
      return Promise.resolve();
    }
    $('p-members-hint').textContent = '正在读取可选教师…';
    return window.hsbGet('/api/mentoring-groups/suggestions?student=' + encodeURIComponent(student)).then(function (body) {
      var items = body.items || [];
      items.forEach(function (s, i) { tbody.append(suggestionRow(s, i)); });
      var who = body.student ? body.student.name + '（' + body.student.studentNo + '）' : '';
      $('p-members-hint').textContent = items.length ? '为 ' + who + ' 选择 3–5 名教师，并指定一名组长。按当前承担的帮扶小组数从少到多排列。' : '本学院暂无可选教师。';
      $('suggestions').dataset.ready = 'true';
    }).catch(function (error) {
      $('p-members-hint').textContent = M.problemText(error);
    });
  }
  $('p-student').addEventListener('change', function () { loadSuggestions(); });

  function proposal() {
    var leader = document.querySelector('#suggestions input[name="leader"]:checked');
    var members = [];
    $('suggestions').querySelectorAll('tbody tr').forEach(function (tr) {
      if (!tr.querySelector('input[name="member"]').checked) return;
      var user = tr.dataset.user;
      members.push({ user: user, employment: tr.querySelector('select[name="employment"]').value, role: leader && leader.value === user ? 'leader' : 'member' });
    });
    var needs = M.AREAS.filter(function (a) { return $('need-' + a[0]).checked; }).map(function (a) {
      var note = $('need-note-' + a[0]).value.trim();
      return note ? { area: a[0], note: note } : { area: a[0] };
    });
    return { student: $('p-student').value, members: members, needs: needs, plan: $('p-plan').value.trim() };
  }

  $('propose-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var body = proposal();
    var button = $('propose-submit');
    M.showFieldProblems({}, fields);
    if (!body.student) {
      M.showFieldProblems({ details: [{ path: 'student', message: '请选择受助学生。' }] }, fields);
      return;
    }
    button.disabled = true;
    window.hsbApi('POST', '/api/mentoring-groups', body).then(function (r) {
      if (!r.ok) throw M.failure(r);
      $('propose-form').reset();
      $('suggestions').tBodies[0].replaceChildren();
      return reload().then(function () { window.hsbShowMessage('success', '已提交审批：' + M.title(r.body)); });
    }).catch(function (error) {
      var placed = M.showFieldProblems(error, fields);
      window.hsbShowMessage('danger', placed ? '提交未成功，请按提示修改后重新提交。' : '提交未成功：' + M.problemText(error));
    }).finally(function () { button.disabled = false; });
  });

  $('propose-open').addEventListener('click', function () {
    var open = $('propose').classList.toggle('d-none') === false;
    $('propose-open').setAttribute('aria-expanded', String(open));
    if (open) $('p-search').focus();
  });

  function openProposal(studentId) {
    $('propose').classList.remove('d-none');
    $('propose-open').setAttribute('aria-expanded', 'true');
    return loadStudents('').then(function (items) {
      if (!studentId) return null;
      if (!items.some(function (s) { return s.id === studentId; })) {
        return window.hsbGet('/api/students/' + encodeURIComponent(studentId) + '?sensitive=omit').then(function (s) {
          $('p-student').append(studentOption(s));
        });
      }
      return null;
    }).then(function () {
      if (studentId) {
        $('p-student').value = studentId;
        return loadSuggestions();
      }
      return null;
    });
  }

  window.hsbSession.then(function (who) {
    me = who;
    var mayPropose = window.hsbCan(me, 'mentoring:propose');
    $('propose-open').classList.toggle('d-none', !mayPropose);
    var student = params.get('propose') || params.get('student');
    var work = [reload()];
    if (mayPropose) work.push(student && /^[0-9a-f]{24}$/.test(student) ? openProposal(student) : loadStudents(''));
    return Promise.all(work);
  }).then(function () {
    document.body.dataset.ready = 'true';
  }).catch(showError);
})();
