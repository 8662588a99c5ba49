// C1: a mentor's own groups (GET /api/mentoring-groups?member=me) and logging an activity for one of them
// with the mentoring-activity form, rendered by @formio/js like every form page; its submission writes the
// activity (the form's handler), which then shows in the group's log below it.
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var el = window.hsbEl;
  var M = window.hsbMentoring;
  var ORDER = { active: 0, proposed: 1, closed: 2, rejected: 3 };
  var wanted = new URLSearchParams(window.location.search).get('group');
  var groups = [];
  var current = null;
  var form = null;
  var formUrl = null;
  var me = null;

  /** The activity form's address: its path as registered (camelCase like the other forms, or as named in the files). */
  function activityFormUrl() {
    if (formUrl) return Promise.resolve(formUrl);
    var candidates = ['mentoringActivity', 'mentoring-activity'];
    function attempt(i) {
      var url = window.location.origin + '/form/' + candidates[i];
      return window.hsbApi('GET', url).then(function (r) {
        if (r.ok || i === candidates.length - 1) {
          formUrl = url;
          return url;
        }
        return attempt(i + 1);
      });
    }
    return attempt(0);
  }

  function item(g) {
    var row = el('div', 'list-group-item');
    row.dataset.group = g.id;
    var top = el('div', 'd-flex flex-wrap align-items-center gap-2');
    var name = el('a', 'fw-semibold me-auto', M.title(g));
    name.href = '/mentoring/' + encodeURIComponent(g.id);
    top.append(name, M.stateBadge(g));
    var leader = M.leaderOf(g);
    var mine = (g.members || []).filter(function (m) { return m.userId === me.id; })[0];
    var facts = [g.student && g.student.major, mine ? '我是' + (M.MEMBER_ROLE[mine.role] || mine.role) : '', leader ? '组长 ' + leader.name : '', g.activityCount && g.lastActivityAt ? '最近活动 ' + window.hsbDate(g.lastActivityAt) : '尚无活动', '共 ' + (g.activityCount || 0) + ' 次'];
    row.append(top, el('div', 'small text-muted', facts.filter(Boolean).join(' · ')));
    if (g.state === 'active') {
      var log = el('button', 'btn btn-sm btn-primary mt-2', '记录帮扶活动');
      log.type = 'button';
      log.dataset.action = 'log';
      log.setAttribute('aria-label', '记录帮扶活动：' + M.title(g));
      log.addEventListener('click', function () { choose(g).catch(showError); });
      row.append(log);
    }
    if (current && current.id === g.id) row.classList.add('active-group');
    return row;
  }

  function renderList() {
    var list = $('groups');
    list.replaceChildren();
    groups.sort(function (a, b) { return (ORDER[a.state] - ORDER[b.state]) || String(b.lastActivityAt || '').localeCompare(String(a.lastActivityAt || '')); });
    groups.forEach(function (g) { list.append(item(g)); });
    if (!groups.length) list.append(el('div', 'list-group-item text-muted', '您目前没有参与的帮扶小组。'));
  }

  function loadRecent(g) {
    return window.hsbGet('/api/mentoring-groups/' + encodeURIComponent(g.id) + '/activities?limit=5').then(function (body) {
      var list = $('recent');
      var items = body.items || [];
      list.replaceChildren.apply(list, items.length ? items.map(M.activityItem) : [el('li', 'list-group-item text-muted', '尚无帮扶记录。')]);
    });
  }

  /** A fresh submission (no _id) for the group, at the current time: every save goes through the form's handler. */
  function fill(g) {
    form.setValue({ data: { group: g.id, at: new Date().toISOString() } }, { fromSubmission: true });
  }

  function choose(g) {
    current = g;
    renderList();
    $('logging').classList.remove('d-none');
    $('logging-for').textContent = '受助学生：' + M.title(g);
    $('group-link').href = '/mentoring/' + encodeURIComponent(g.id);
    return Promise.all([window.hsbFormioOptions, activityFormUrl()]).then(function (results) {
      if (form) form.destroy();
      $('formio').textContent = '';
      var hooks = {
        // The group being logged goes with every submission, whatever the form shows of it.
        beforeSubmit: function (submission, next) {
          submission.data.group = current.id;
          next();
        },
      };
      return Formio.createForm($('formio'), results[1], Object.assign({}, results[0], { hooks: hooks }));
    }).then(function (created) {
      form = created;
      // The group is the one chosen on the left: the form's own group picker stays hidden (app.css).
      fill(g);
      form.on('submitDone', function () {
        var logged = current;
        reloadGroups().then(function () {
          // A new, empty form for the next activity; the one just logged shows in the log below it.
          return choose(current);
        }).then(function () {
          window.hsbShowMessage('success', '已记录帮扶活动：' + M.title(logged));
          document.body.dataset.logged = String(Number(document.body.dataset.logged || 0) + 1);
        }).catch(showError);
      });
      form.on('submitError', function () {
        window.hsbShowMessage('danger', '提交未成功，请按提示修改后重新提交。');
      });
      return loadRecent(g);
    }).then(function () {
      document.body.dataset.formReady = g.id;
    });
  }

  function reloadGroups() {
    return window.hsbGet('/api/mentoring-groups?member=me&limit=100').then(function (body) {
      groups = body.items || [];
      if (current) current = groups.filter(function (g) { return g.id === current.id; })[0] || current;
      renderList();
    });
  }

  function showError(error) {
    window.hsbShowMessage('danger', '加载失败：' + M.problemText(error));
  }

  window.hsbSession.then(function (who) {
    me = who;
    return reloadGroups();
  }).then(function () {
    var pick = groups.filter(function (g) { return g.id === wanted && g.state === 'active'; })[0];
    if (!pick) {
      var active = groups.filter(function (g) { return g.state === 'active'; });
      if (active.length === 1) pick = active[0];
    }
    return pick ? choose(pick) : null;
  }).then(function () {
    document.body.dataset.ready = 'true';
  }).catch(showError);
})();
