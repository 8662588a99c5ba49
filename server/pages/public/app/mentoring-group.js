// C1: one mentoring group — the mentee (and their archive as the reader may see it, GET …/mentee), needs and
// plan, members and every change of them, the activity log (paged), approving or rejecting a proposal, and
// closing the group with its outcome (POST …/close; employed needs employer and date, other a reason).
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var el = window.hsbEl;
  var M = window.hsbMentoring;
  var id = decodeURIComponent(window.location.pathname.split('/')[2] || '');
  var base = '/api/mentoring-groups/' + encodeURIComponent(id);
  var me = null;
  var group = null;
  var after = null;
  var PAGE = 30;
  var TIER = { special: '特殊学生', key: '重点学生', general: '一般学生' };
  var SENSITIVE = { medicalHistory: '病史', psychologicalFlags: '心理情况', familyFinances: '家庭经济情况' };

  function show(node, visible) { node.classList.toggle('d-none', !visible); }

  function facts(target, pairs) {
    target.replaceChildren();
    pairs.forEach(function (p) {
      if (p[1] === null || p[1] === undefined || p[1] === '') return;
      target.append(el('dt', 'col-4', p[0]), el('dd', 'col-8', String(p[1])));
    });
  }

  function isLeader() {
    var leader = M.leaderOf(group);
    return !!leader && leader.userId === me.id;
  }
  function isMember() {
    return (group.members || []).some(function (m) { return m.userId === me.id; });
  }

  function render(g) {
    group = g;
    var name = M.title(g);
    document.title = name + ' · 结对帮扶 · 家校心桥';
    $('title').firstChild.textContent = '帮扶小组：' + name + ' ';
    $('crumb').textContent = name;
    $('state').replaceChildren(M.stateBadge(g));
    var leader = M.leaderOf(g);
    $('subtitle').textContent = [
      g.college && g.college.name ? g.college.name : '',
      leader ? '组长 ' + leader.name : '',
      g.proposedAt ? '发起于 ' + window.hsbDate(g.proposedAt) : '',
      g.approvedAt ? '批准于 ' + window.hsbDate(g.approvedAt) : '',
      g.closedAt ? '结束于 ' + window.hsbDate(g.closedAt) : '',
      g.activityCount && g.lastActivityAt ? '最近活动 ' + window.hsbDate(g.lastActivityAt) : '尚无活动',
    ].filter(Boolean).join(' · ');
    if (g.state === 'rejected' && g.rejection) {
      window.hsbShowMessage('secondary', '未批准' + (g.rejection.reason ? '：' + g.rejection.reason : '') + (g.rejection.byName ? '（' + g.rejection.byName + '）' : ''));
    }

    var s = g.student || {};
    facts($('mentee'), [['姓名', s.name], ['学号', s.studentNo], ['专业', s.major], ['年级', s.grade ? s.grade + '级' : '']]);
    $('student-link').href = '/students/' + encodeURIComponent(s.id || '');
    // The full archive page only for readers of the college's archives; members read it here (…/mentee).
    show($('student-link'), !!s.id && window.hsbCan(me, 'students:read') && ['college', 'school', 'assigned'].indexOf((me.readScope || {}).student) !== -1);

    $('needs').replaceChildren.apply($('needs'), (g.needs || []).map(function (n) {
      var li = el('li', 'mb-1');
      li.append(el('span', 'badge text-bg-light border me-1', n.areaLabel || n.area));
      if (n.note) li.append(document.createTextNode(n.note));
      return li;
    }));
    $('plan').textContent = g.plan || '';

    var tbody = $('members').tBodies[0];
    tbody.replaceChildren.apply(tbody, (g.members || []).map(function (m) {
      var tr = el('tr');
      tr.dataset.user = m.userId;
      var th = el('th', '', m.name);
      th.scope = 'row';
      tr.append(th, el('td', '', M.MEMBER_ROLE[m.role] || m.role), el('td', '', M.EMPLOYMENT[m.employment] || m.employment), el('td', '', window.hsbDate(m.since)));
      return tr;
    }));
    var history = (g.memberHistory || []).slice().reverse();
    $('history').replaceChildren.apply($('history'), history.length ? history.map(function (h) {
      var li = el('li', 'list-group-item px-0');
      li.append(el('span', '', (h.name || '') + ' ' + (M.CHANGE[h.change] || h.change)), el('span', 'text-muted', ' · ' + window.hsbDateTime(h.at) + (h.byName ? ' · ' + h.byName : '') + (h.reason ? ' · ' + h.reason : '')));
      return li;
    }) : [el('li', 'list-group-item px-0 text-muted', '暂无变动。')]);

    show($('outcome-section'), !!g.outcome);
    if (g.outcome) {
      var o = g.outcome;
      $('outcome').textContent = [o.kindLabel || o.kind, o.employer, o.date ? window.hsbDate(o.date) : '', o.reason, o.note].filter(Boolean).join(' · ');
    }

    var approver = window.hsbCan(me, 'mentoring:approve');
    show($('approve'), g.state === 'proposed' && approver);
    show($('reject'), g.state === 'proposed' && approver);
    if (g.state !== 'proposed') show($('reject-form'), false);
    var log = $('log');
    log.href = '/mentoring/mine?group=' + encodeURIComponent(g.id);
    show(log, g.state === 'active' && isMember());
    var manager = isLeader() || window.hsbCan(me, 'mentoring:propose');
    show($('close-section'), g.state === 'active' && manager);
    show($('members-form'), (g.state === 'active' || g.state === 'proposed') && manager);
    if (!$('members-form').classList.contains('d-none')) renderMembersForm(g);
  }

  // ---- Changing members (If-Match: the revision shown) ----
  var TEACHING = ['counselor', 'academicMentor', 'growthMentor', 'teacher', 'collegeLeader'];
  var staff = null;
  function renderMembersForm(g) {
    var members = g.members || [];
    $('m-remove-list').replaceChildren.apply($('m-remove-list'), members.map(function (m, i) {
      var line = el('div', 'form-check form-check-inline');
      var box = el('input', 'form-check-input');
      box.type = 'checkbox';
      box.id = 'm-remove-' + i;
      box.value = m.userId;
      var label = el('label', 'form-check-label small', m.name);
      label.htmlFor = box.id;
      line.append(box, label);
      return line;
    }));
    var leader = M.leaderOf(g);
    $('m-leader').replaceChildren.apply($('m-leader'), members.map(function (m) {
      var option = el('option', '', m.name + (m.role === 'leader' ? '（现任）' : ''));
      option.value = m.userId;
      option.selected = !!leader && leader.userId === m.userId;
      return option;
    }));
    $('m-reason').value = '';
    var load = staff ? Promise.resolve(staff) : window.hsbGet('/api/staff?limit=100&college=' + encodeURIComponent(g.college && g.college.id ? g.college.id : g.college)).then(function (body) {
      staff = (body.items || []).filter(function (u) { return TEACHING.indexOf(u.role) !== -1; });
      return staff;
    });
    return load.then(function (list) {
      var inGroup = members.map(function (m) { return m.userId; });
      var options = [el('option', '', '不新增')];
      options[0].value = '';
      list.filter(function (u) { return inGroup.indexOf(u.id) === -1; }).forEach(function (u) {
        var option = el('option', '', u.displayName + '（' + (u.roleZh || u.role) + '）');
        option.value = u.id;
        options.push(option);
      });
      $('m-add').replaceChildren.apply($('m-add'), options);
    }).catch(function () {
      $('m-add').disabled = true;
    });
  }
  var memberFields = {
    add: { control: $('m-add'), feedback: $('m-add-feedback') },
    remove: { control: $('m-remove-list'), feedback: $('m-remove-feedback') },
    leader: { control: $('m-leader'), feedback: $('m-leader-feedback') },
    reason: { control: $('m-reason'), feedback: $('m-reason-feedback') },
    members: { control: $('m-reason'), feedback: $('m-members-feedback') },
  };
  $('members-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var body = { reason: $('m-reason').value.trim() };
    if ($('m-add').value) body.add = [{ user: $('m-add').value, employment: $('m-employment').value }];
    var remove = Array.from($('m-remove-list').querySelectorAll('input:checked')).map(function (box) { return box.value; });
    if (remove.length) body.remove = remove;
    var leader = M.leaderOf(group);
    if ($('m-leader').value && (!leader || leader.userId !== $('m-leader').value)) body.leader = $('m-leader').value;
    M.showFieldProblems({}, memberFields);
    if (!body.reason) {
      M.showFieldProblems({ details: [{ path: 'reason', message: '请填写调整原因。' }] }, memberFields);
      return;
    }
    var button = $('members-save');
    button.disabled = true;
    window.hsbApi('POST', base + '/members', body, { 'If-Match': '"' + group.revision + '"' }).then(function (r) {
      if (!r.ok) throw M.failure(r);
      return reload().then(function () { window.hsbShowMessage('success', '成员已调整。'); });
    }).catch(function (error) {
      if (error.code === 'REVISION_CONFLICT') {
        window.hsbShowMessage('warning', '小组已被他人修改，已刷新，请重新调整。');
        return reload();
      }
      var placed = M.showFieldProblems(error, memberFields);
      window.hsbShowMessage('danger', placed ? '未能调整成员，请按提示修改。' : '未能调整成员：' + M.problemText(error));
      return null;
    }).finally(function () { button.disabled = false; });
  });

  function loadActivities(replace) {
    var q = new URLSearchParams({ limit: String(PAGE) });
    if (after && !replace) q.set('after', after);
    return window.hsbGet(base + '/activities?' + q.toString()).then(function (body) {
      var list = $('activities');
      var items = body.items || [];
      if (replace) list.replaceChildren();
      items.forEach(function (a) { list.append(M.activityItem(a)); });
      if (replace && !items.length) list.append(el('li', 'list-group-item text-muted', '尚无帮扶记录。'));
      $('log-total').textContent = '共 ' + (body.total === undefined ? items.length : body.total) + ' 次';
      after = body.next !== undefined ? body.next : (items.length === PAGE ? items[items.length - 1].id : null);
      show($('more'), !!after);
    });
  }
  $('more').addEventListener('click', function () { loadActivities(false).catch(showError); });

  function reload() {
    return window.hsbGet(base).then(function (g) {
      render(g);
      return loadActivities(true);
    });
  }

  function showError(error) {
    window.hsbShowMessage('danger', '加载失败：' + M.problemText(error));
  }

  // ---- The mentee's archive as this reader may see it ----
  $('mentee-open').addEventListener('click', function () {
    var button = $('mentee-open');
    button.disabled = true;
    window.hsbGet(base + '/mentee').then(function (s) {
      var pairs = [
        ['班级', s.className], ['帮扶层级', TIER[s.careTier] || s.careTier], ['特殊类别', (s.specialCategories || []).join('、')],
        ['家长', (s.guardians || []).map(function (g) { return g.name + '（' + g.relation + '）' + (g.phone ? ' ' + g.phone : ''); }).join('；')],
        ['家庭住址', s.homeAddress], ['帮扶计划', s.supportPlan],
      ];
      Object.keys(SENSITIVE).forEach(function (key) { if (s[key]) pairs.push([SENSITIVE[key], s[key]]); });
      var reasoned = !!(s.sensitiveAccess && s.sensitiveAccess.mayShow);
      if ((s.redacted || []).length) pairs.push(['未显示', (s.redacted || []).map(function (k) { return SENSITIVE[k] || k; }).join('、') + (reasoned ? '（须在学生档案页说明原因后查看）' : '（无权查看敏感信息）')]);
      facts($('archive'), pairs);
      show($('archive'), true);
      show(button, false);
    }).catch(function (error) {
      button.disabled = false;
      window.hsbShowMessage('danger', '无法查看学生档案：' + M.problemText(error));
    });
  });

  // ---- Approving, rejecting ----
  function decide(action, body, button) {
    button.disabled = true;
    return window.hsbApi('POST', base + '/' + action, body).then(function (r) {
      if (!r.ok) throw M.failure(r);
      return reload().then(function () { window.hsbShowMessage('success', action === 'approve' ? '已批准，帮扶小组成立。' : '已不批准。'); });
    }).catch(function (error) {
      window.hsbShowMessage('danger', '操作未成功：' + M.problemText(error));
    }).finally(function () { button.disabled = false; });
  }
  $('approve').addEventListener('click', function () { decide('approve', {}, $('approve')); });
  $('reject').addEventListener('click', function () {
    show($('reject-form'), true);
    $('reject-reason').focus();
  });
  $('reject-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var reason = $('reject-reason').value.trim();
    $('reject-reason').classList.toggle('is-invalid', !reason);
    $('reject-reason-feedback').textContent = reason ? '' : '请填写不批准的原因。';
    if (reason) decide('reject', { reason: reason }, $('reject-send'));
  });

  // ---- Closing with the outcome ----
  M.OUTCOMES.forEach(function (o) {
    var option = el('option', '', o[1]);
    option.value = o[0];
    $('c-kind').append(option);
  });
  function showOutcomeFields() {
    var kind = $('c-kind').value;
    document.querySelectorAll('.outcome-employed').forEach(function (node) { show(node, kind === 'employed'); });
    document.querySelectorAll('.outcome-other').forEach(function (node) { show(node, kind === 'other'); });
  }
  $('c-kind').addEventListener('change', showOutcomeFields);
  showOutcomeFields();
  var closeFields = {
    kind: { control: $('c-kind'), feedback: $('c-kind-feedback') },
    employer: { control: $('c-employer'), feedback: $('c-employer-feedback') },
    date: { control: $('c-date'), feedback: $('c-date-feedback') },
    reason: { control: $('c-reason'), feedback: $('c-reason-feedback') },
    note: { control: $('c-note'), feedback: $('c-note-feedback') },
  };
  /** `outcome.employer` → `employer`: the close form's fields are the outcome's. */
  function outcomeProblems(error) {
    var strip = function (path) { return String(path || '').replace(/^outcome\./, ''); };
    return Object.assign({}, error, {
      field: error.field ? strip(error.field) : undefined,
      details: (error.details || []).map(function (d) { return Object.assign({}, d, { path: strip(d.path) }); }),
    });
  }
  $('close-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var kind = $('c-kind').value;
    var outcome = { kind: kind };
    if (kind === 'employed') {
      outcome.employer = $('c-employer').value.trim();
      outcome.date = $('c-date').value;
    }
    if (kind === 'other') outcome.reason = $('c-reason').value.trim();
    if ($('c-note').value.trim()) outcome.note = $('c-note').value.trim();
    Object.keys(outcome).forEach(function (key) { if (outcome[key] === '') delete outcome[key]; });
    M.showFieldProblems({}, closeFields);
    var button = $('close');
    button.disabled = true;
    window.hsbApi('POST', base + '/close', { outcome: outcome }).then(function (r) {
      if (!r.ok) throw M.failure(r);
      return reload().then(function () { window.hsbShowMessage('success', '帮扶已结束，帮扶记录保留。'); });
    }).catch(function (error) {
      var placed = M.showFieldProblems(outcomeProblems(error), closeFields);
      window.hsbShowMessage('danger', placed ? '未能结束帮扶，请按提示修改。' : '未能结束帮扶：' + M.problemText(error));
    }).finally(function () { button.disabled = false; });
  });

  window.hsbSession.then(function (who) {
    me = who;
    return reload();
  }).then(function () {
    document.body.dataset.ready = 'true';
  }).catch(showError);
})();
