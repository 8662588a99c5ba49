// The audit trail for student affairs: filter by action, person, field, student and days; export what is shown.
(function () {
  var PAGE = 50;
  var ACTIONS = { create: '新建', update: '修改', delete: '删除', 'read-sensitive': '查看敏感信息', 'sign-in': '登录', 'sign-in-failed': '登录失败' };
  var FIELDS = { medicalHistory: '病史', psychologicalFlags: '心理状况', familyFinances: '家庭经济状况' };
  var ROLES = { counselor: '辅导员', academicMentor: '学业导师', growthMentor: '成长导师', teacher: '教师', collegeLeader: '院系领导', studentAffairs: '学工部', schoolLeader: '校领导', admin: '管理员' };
  var el = window.hsbEl;
  var form = document.getElementById('filters');
  var skip = 0;
  var params = new URLSearchParams();

  function value(id) { return document.getElementById(id).value.trim(); }

  /** The filter as query parameters; a student number is turned into the archive's id first. */
  function readFilters() {
    var next = new URLSearchParams();
    ['action', 'username', 'field', 'from', 'to'].forEach(function (name) { if (value(name)) next.set(name, value(name)); });
    var studentNo = value('student');
    if (!studentNo) return Promise.resolve(next);
    return window.hsbGet('/api/students?limit=1&q=' + encodeURIComponent(studentNo)).then(function (found) {
      var match = (found.items || []).filter(function (s) { return s.studentNo === studentNo; })[0];
      if (!match) throw { messageZh: '未找到学号为 ' + studentNo + ' 的学生' };
      next.set('resourceType', 'student');
      next.set('resourceId', match.id || match._id);
      return next;
    });
  }

  function target(entry) {
    if (entry.resourceType === 'student' && entry.resourceId) {
      var link = el('a', '', entry.student ? entry.student.studentNo + ' ' + entry.student.name : '学生档案 ' + entry.resourceId.slice(-6));
      link.href = '/students/' + encodeURIComponent(entry.resourceId);
      return link;
    }
    return document.createTextNode(entry.resourceType + (entry.resourceId ? ' ' + entry.resourceId : ''));
  }

  function render(result) {
    var body = document.querySelector('#entries tbody');
    body.replaceChildren();
    result.items.forEach(function (entry) {
      var row = el('tr');
      var actor = entry.actor || {};
      var who = el('td', '', actor.username || (actor.kind === 'system' ? '系统' : '—'));
      if (actor.role) who.append(el('div', 'small text-muted', ROLES[actor.role] || actor.role));
      var what = el('td');
      what.append(target(entry));
      row.append(
        el('td', 'text-nowrap', window.hsbDateTime(entry.at)),
        who,
        el('td', '', ACTIONS[entry.action] || entry.action),
        what,
        el('td', '', (entry.fields || []).map(function (f) { return FIELDS[f] || f; }).join('、')),
        el('td', '', entry.reason || ''),
        el('td', 'small text-muted', entry.ip || ''),
      );
      body.append(row);
    });
    var shown = result.items.length;
    document.getElementById('summary').textContent = shown
      ? '共 ' + result.total + ' 条，显示第 ' + (skip + 1) + '–' + (skip + shown) + ' 条'
      : '没有符合条件的记录。';
    document.getElementById('previous').disabled = skip === 0;
    document.getElementById('next').disabled = skip + shown >= result.total;
  }

  function load() {
    var query = new URLSearchParams(params);
    query.set('limit', String(PAGE));
    query.set('skip', String(skip));
    document.getElementById('export').href = '/api/audit.xlsx' + (params.toString() ? '?' + params.toString() : '');
    return window.hsbGet('/api/audit?' + query.toString()).then(render).catch(function (error) {
      window.hsbShowMessage('danger', '查询失败：' + window.hsbProblemText(error));
    });
  }

  function search() {
    document.getElementById('message').className = 'alert d-none';
    return readFilters().then(function (next) {
      params = next;
      skip = 0;
      return load();
    }).catch(function (error) {
      window.hsbShowMessage('warning', window.hsbProblemText(error));
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    search();
  });
  document.getElementById('previous').addEventListener('click', function () { skip = Math.max(0, skip - PAGE); load(); });
  document.getElementById('next').addEventListener('click', function () { skip += PAGE; load(); });
  document.getElementById('username').addEventListener('input', function (event) {
    var text = event.target.value.trim();
    if (text.length < 1) return;
    window.hsbGet('/api/staff?limit=10&q=' + encodeURIComponent(text)).then(function (found) {
      var list = document.getElementById('staff-names');
      list.replaceChildren();
      (found.items || []).forEach(function (person) {
        var option = el('option');
        option.value = person.username;
        option.label = person.displayName;
        list.append(option);
      });
    }).catch(function () { /* suggestions only */ });
  });

  window.hsbSession.then(function (me) {
    if (!window.hsbCan(me, 'audit:read')) {
      form.classList.add('d-none');
      window.hsbShowMessage('warning', '只有学工部和系统管理员可以查看审计记录。Only student affairs and administrators may read the audit trail.');
      return;
    }
    search();
  });
})();
