// Student affairs' view of one campaign: each college's plan state, planned vs required, school-leader
// visits and the deadline that holds for it (GET /api/visit-campaigns/:id/overview).
(function () {
  var campaignId = decodeURIComponent(window.location.pathname.split('/')[2] || '');
  var el = window.hsbEl;

  function total(label, value, tone) {
    var col = el('div', 'col-6 col-md-3');
    var card = el('div', 'card h-100');
    var body = el('div', 'card-body py-2');
    body.append(el('div', 'text-muted small', label), el('div', 'fs-5 ' + (tone || ''), String(value)));
    card.append(body);
    col.append(card);
    return col;
  }

  // The statistics: the school roll-up for school-wide readers, one's own college's table for a college's staff.
  document.getElementById('statistics-link').href = '/visits/' + encodeURIComponent(campaignId) + '/statistics';

  window.hsbSession.then(function () {
    return window.hsbApi('GET', '/api/visit-campaigns/' + encodeURIComponent(campaignId) + '/overview');
  }).then(function (r) {
    if (!r.ok) throw new Error((r.body && r.body.messageZh) || '无法读取家访活动');
    var campaign = r.body.campaign;
    var colleges = r.body.colleges;
    document.getElementById('title').textContent = campaign.title;
    document.title = campaign.title + ' · 家访活动概览 · 家校心桥';
    document.getElementById('subtitle').textContent = '申报截止 ' + campaign.planDueText + '（北京时间） · 家访比例 ' + campaign.coverageText + ' · 状态：' + ({ draft: '草稿', open: '进行中', closed: '已结束' }[campaign.state] || campaign.state);

    var count = function (test) { return colleges.filter(test).length; };
    var totals = document.getElementById('totals');
    totals.append(
      total('参与学院', colleges.length),
      total('已批准', count(function (c) { return c.state === 'approved'; }), 'text-success'),
      total('待审批', count(function (c) { return c.state === 'submitted'; }), 'text-warning'),
      total('未提交', r.body.withoutSubmittedPlan.length, r.body.withoutSubmittedPlan.length ? 'text-danger' : ''),
    );

    var body = document.querySelector('#colleges tbody');
    colleges.forEach(function (c) {
      var tr = el('tr');
      tr.dataset.college = c.code || c.college;
      var name = el('th', '', c.name || c.code);
      name.scope = 'row';
      var state = el('td');
      state.append(el('span', 'badge ' + window.hsbStateClass(c.state), c.stateZh + (c.amending ? '（变更中）' : '')));
      if (c.awaiting) state.append(el('div', 'small text-muted', '待' + ({ collegeLeader: '学院领导', studentAffairs: '学工部' }[c.awaiting] || '') + '审批'));
      var planned = el('td', 'text-end ' + (c.planned >= c.required ? 'text-success' : 'text-danger'), c.planned + ' / ' + c.required);
      planned.title = '学院学生 ' + c.students.toLocaleString('en-US') + ' 人';
      var leaders = el('td', 'text-end', String(c.leaderVisits));
      var due = el('td', c.overdue ? 'text-danger' : '', c.dueText + (c.extended ? '（已延期）' : '') + (c.overdue ? ' 已逾期' : ''));
      var action = el('td', 'text-end');
      var link = el('a', 'btn btn-sm btn-outline-primary', '查看计划');
      link.href = '/visits/' + encodeURIComponent(campaignId) + '/plans/' + encodeURIComponent(c.code || c.college);
      var statistics = el('a', 'btn btn-sm btn-outline-secondary ms-1', '走访统计');
      statistics.href = '/visits/' + encodeURIComponent(campaignId) + '/statistics?college=' + encodeURIComponent(c.code || c.college);
      var summary = el('a', 'btn btn-sm btn-outline-secondary ms-1', '学院总结');
      summary.href = '/visits/' + encodeURIComponent(campaignId) + '/colleges/' + encodeURIComponent(c.code || c.college) + '/summary';
      action.append(link, statistics, summary);
      tr.append(name, state, planned, leaders, due, action);
      body.append(tr);
    });
  }).catch(function (error) {
    window.hsbShowMessage('danger', '加载失败：' + (error && error.message || error));
  });
})();
