// A college's visit plan (附件1): fill it with the visit-application form, submit it, see returns with
// their reasons and the approvals; approvers approve or return it (a return needs a reason); print view.
(function () {
  var parts = window.location.pathname.split('/');
  var campaignId = decodeURIComponent(parts[2] || '');
  var collegeRef = decodeURIComponent(parts[4] || '');
  var api = '/api/visit-campaigns/' + encodeURIComponent(campaignId) + '/plans/' + encodeURIComponent(collegeRef);
  var $ = function (id) { return document.getElementById(id); };
  var me = null;
  var form = null;
  var plan = null;
  var etag = null;

  $('overview-link').href = '/visits/' + encodeURIComponent(campaignId);
  $('print').href = api + '/print';
  $('print-pdf').href = api + '/print.pdf';

  function formData(current) {
    var implementation = current ? current.implementation : {};
    var entries = current ? current.entries.map(function (e) {
      var staff = e.visitors.filter(function (v) { return v.user && v.role !== 'schoolLeader'; }).map(function (v) { return v.user; });
      var leader = e.visitors.filter(function (v) { return v.user && v.role === 'schoolLeader'; })[0];
      return {
        entryId: e.id, student: e.studentNo, targetType: e.targetType, mode: e.mode, kind: e.kind, visitors: staff,
        plannedOn: e.plannedOn || '', leaderVisit: !!leader, leader: leader ? leader.user : '', note: e.note || '',
      };
    }) : [];
    return { campaign: campaignId, college: collegeRef, implementation: implementation, entries: entries };
  }

  // What the lazily loaded selects show for values already filed (Form.io's metadata.selectData), so a
  // filed plan reads "2024XX0100 赵敏" and the visitors' names without one request per row.
  function selectData(current) {
    return {
      entries: current ? current.entries.map(function (e) {
        var visitors = {};
        var leader = null;
        e.visitors.forEach(function (v) {
          if (!v.user) return;
          if (v.role === 'schoolLeader') leader = { id: v.user, displayName: v.name };
          else visitors[v.user] = { id: v.user, displayName: v.name, roleZh: v.roleZh };
        });
        return { student: { studentNo: e.studentNo, name: e.studentName }, visitors: visitors, leader: leader || undefined };
      }) : [],
    };
  }

  function mayFile(row) {
    return me.permissions.indexOf('visitPlans:write') !== -1 && (!me.college || me.college === row.college);
  }

  function mayDecide(current) {
    if (!current || current.state !== 'submitted' || !current.awaiting) return false;
    if (me.permissions.indexOf('visitPlans:approve') === -1 || me.role !== current.awaiting.role) return false;
    return current.awaiting.role !== 'collegeLeader' || me.college === current.college.id;
  }

  function showSummary(row, current) {
    var state = current ? current.state : 'none';
    var badge = $('state');
    badge.className = 'badge fs-6 ' + window.hsbStateClass(state);
    badge.textContent = current ? current.stateZh + (current.amending ? '（变更中）' : '') : '未填报';
    var coverage = current ? current.coverage : null;
    var planned = coverage ? coverage.counted : row.planned;
    var required = coverage ? coverage.required : row.required;
    $('coverage').textContent = '已计划 ' + planned + ' 人 / 需至少 ' + required + ' 人';
    var note = $('coverage-note');
    note.className = 'small ' + (planned >= required ? 'text-success' : 'text-danger');
    note.textContent = coverage ? (coverage.met ? '已达到覆盖比例（' + coverage.enrolled.toLocaleString('en-US') + ' × ' + coverage.percent + '）' : coverage.message)
      : '学院学生 ' + row.students.toLocaleString('en-US') + ' 人';
    var leaders = coverage ? coverage.leaderVisits : { students: row.leaderVisits, countTowardCoverage: true };
    $('leaders').textContent = leaders.students + ' 人';
    $('leaders-note').textContent = leaders.countTowardCoverage ? '计入学院覆盖比例' : '不计入学院覆盖比例';
    $('deadline').textContent = current ? current.deadline.dueText : row.dueText;
    var late = current ? current.deadline.late : row.overdue;
    var extension = current && current.deadline.extension;
    $('deadline-note').className = 'small ' + (late ? 'text-danger' : 'text-muted');
    $('deadline-note').textContent = late ? '已过截止时间，如需补报请联系学工部延期' : extension ? '已延期：' + extension.reason : '';
    $('print').classList.toggle('d-none', !current);
    $('print-pdf').classList.toggle('d-none', !current);

    var returned = $('returned');
    if (current && current.lastReturn && current.state === 'returned') {
      returned.classList.remove('d-none');
      returned.textContent = '';
      returned.append(window.hsbEl('strong', '', '已退回：'), document.createTextNode(current.lastReturn.reason),
        window.hsbEl('div', 'small text-muted', current.lastReturn.byName + '（' + ({ collegeLeader: '学院领导', studentAffairs: '学工部' }[current.lastReturn.role] || '') + '）' + window.hsbDateTime(current.lastReturn.at)));
    } else returned.classList.add('d-none');

    var decide = mayDecide(current);
    $('approval').classList.toggle('d-none', !decide);
    if (decide) $('awaiting').textContent = '待' + current.awaiting.roleZh + '审批（第 ' + (current.awaiting.step + 1) + ' 步，共 ' + current.approvalSteps.length + ' 步）';
  }

  function showHistory() {
    return window.hsbApi('GET', api + '/history').then(function (r) {
      var list = $('history-list');
      list.textContent = '';
      var items = r.ok ? r.body.filter(function (h) { return h.action !== 'save'; }) : [];
      $('history').classList.toggle('d-none', items.length === 0);
      var words = { submit: '提交审批', approve: '批准', 'return': '退回' };
      items.forEach(function (h) {
        var li = window.hsbEl('li', 'list-group-item px-0', window.hsbDateTime(h.at) + ' ' + (h.byName || h.by || '') + ' ' + (words[h.action] || h.action));
        if (h.reason) li.append(window.hsbEl('div', 'text-danger', '原因：' + h.reason));
        list.append(li);
      });
    });
  }

  function load() {
    return Promise.all([
      window.hsbApi('GET', '/api/visit-campaigns/' + encodeURIComponent(campaignId) + '/overview'),
      window.hsbApi('GET', api),
    ]).then(function (answers) {
      var overview = answers[0];
      if (!overview.ok) throw new Error((overview.body && overview.body.messageZh) || '无法读取家访活动');
      var row = overview.body.colleges.filter(function (c) { return c.college === collegeRef || c.code === collegeRef; })[0];
      if (!row) throw new Error('未找到参与本次家访活动的学院');
      plan = answers[1].ok ? answers[1].body : null;
      etag = answers[1].etag;
      $('title').textContent = (row.name || row.code) + ' · ' + overview.body.campaign.title;
      document.title = $('title').textContent + ' · 家校心桥';
      showSummary(row, plan);
      showHistory();
      return { row: row, campaign: overview.body.campaign };
    });
  }

  function renderForm(context) {
    var editable = mayFile(context.row) && context.campaign.state === 'open' && (!plan || plan.state !== 'submitted');
    return window.hsbFormioOptions.then(function (options) {
      if (form) form.destroy();
      $('formio').textContent = '';
      return Formio.createForm($('formio'), window.location.origin + '/form/visitApplication', Object.assign({}, options, { readOnly: !editable }));
    }).then(function (created) {
      form = created;
      // A fresh submission each time (no _id): every filing goes through the form's handler.
      form.submission = { data: formData(plan), metadata: { selectData: selectData(plan) } };
      form.on('submitDone', function (submission) {
        var draft = submission.state === 'draft';
        refresh().then(function () {
          window.hsbShowMessage('success', draft ? '草稿已保存。' : '家访计划已提交审批。');
        });
      });
      form.on('submitError', function () {
        window.hsbShowMessage('danger', '未能保存，请按表单中的提示修改后重试。');
      });
      return form;
    });
  }

  function refresh() {
    return load().then(renderForm);
  }

  function decide(action, body) {
    return window.hsbApi('POST', api + '/' + action, body, etag ? { 'If-Match': etag } : {}).then(function (r) {
      if (!r.ok) {
        window.hsbShowMessage('danger', (r.body && r.body.messageZh) || '操作未成功');
        return;
      }
      $('return-form').classList.add('d-none');
      return refresh().then(function () {
        window.hsbShowMessage('success', action === 'approve' ? (r.body.state === 'approved' ? '已批准，家访计划审批完成。' : '已批准，待下一步审批。') : '已退回学院。');
      });
    });
  }

  $('approve').addEventListener('click', function () { decide('approve', {}); });
  $('return').addEventListener('click', function () {
    $('return-form').classList.remove('d-none');
    $('return-reason').focus();
  });
  $('return-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var reason = $('return-reason').value.trim();
    $('return-reason').classList.toggle('is-invalid', !reason);
    if (reason) decide('return', { reason: reason });
  });

  window.hsbSession.then(function (who) {
    me = who;
    return refresh();
  }).catch(function (error) {
    window.hsbShowMessage('danger', '加载失败：' + (error && (error.messageZh || error.message) || error));
  });
})();
