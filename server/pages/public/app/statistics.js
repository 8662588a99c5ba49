// D10 (附件2): a college's visit statistics — tiles, three charts, the table by grade and major and the
// planned visits without a report — or, for school-wide readers without ?college=, the school roll-up.
// Everything comes from GET /api/visit-campaigns/:id/statistics; the XLSX is the same figures.
(function () {
  var campaignId = decodeURIComponent(window.location.pathname.split('/')[2] || '');
  var el = window.hsbEl;
  var base = '/api/visit-campaigns/' + encodeURIComponent(campaignId) + '/statistics';
  var MODES = ['onsite', 'video', 'phone'];
  var KINDS = ['general', 'followUp', 'scheduled'];
  var TARGETS = ['current', 'hardship', 'typical', 'graduate', 'loanOverdue'];
  var ROLES = ['schoolLeader', 'counselor', 'academicMentor', 'growthMentor', 'other'];
  var MODE_SHORT = { onsite: '实地', video: '网络视频', phone: '电话' };

  function tile(label, value, detail, tone) {
    var col = el('div', 'col-6 col-md-4 col-xl-2');
    var card = el('div', 'card h-100');
    var body = el('div', 'card-body py-2');
    body.append(el('div', 'text-muted small', label), el('div', 'figure ' + (tone || ''), String(value)));
    if (detail) body.append(el('div', 'small text-muted', detail));
    card.append(body);
    col.append(card);
    col.dataset.tile = label;
    return col;
  }

  function chart(id, option) {
    var node = document.getElementById(id);
    var instance = window.echarts.getInstanceByDom(node) || window.echarts.init(node, null, { renderer: 'canvas' });
    instance.setOption(option, true);
  }

  function th(text, attrs) {
    var cell = el('th', 'text-center', text);
    cell.scope = 'col';
    Object.keys(attrs || {}).forEach(function (k) { cell.setAttribute(k, attrs[k]); });
    return cell;
  }

  function td(text, className) {
    return el('td', className || 'text-end', text === null || text === undefined ? '' : String(text));
  }

  /** The paper form's column groups: a lone heading spans both header rows, a group spans its columns. */
  function countHeader(leading, vocabulary) {
    var top = el('tr');
    var sub = el('tr');
    leading.forEach(function (h) { top.append(th(h, { rowspan: 2 })); });
    top.append(th('家访学生数', { rowspan: 2 }), th('家访人次', { rowspan: 2 }));
    [['家访方式（人次）', MODES, function (m) { return MODE_SHORT[m]; }], ['家访类型（人次）', KINDS, function (k) { return vocabulary.kind[k]; }],
      ['家访对象（人次）', TARGETS, function (t) { return vocabulary.targetType[t]; }], ['家访人员（人次）', ROLES, function (r) { return vocabulary.visitorRole[r]; }]].forEach(function (group) {
      var head = th(group[0], { colspan: group[1].length });
      head.scope = 'colgroup';
      top.append(head);
      group[1].forEach(function (key) { sub.append(th(group[2](key))); });
    });
    top.append(th('校领导家访', { rowspan: 2 }), th('计划外家访', { rowspan: 2 }));
    return [top, sub];
  }

  function countCells(tr, c) {
    tr.append(td(c.students), td(c.visits));
    MODES.forEach(function (m) { tr.append(td(c.byMode[m])); });
    KINDS.forEach(function (k) { tr.append(td(c.byKind[k])); });
    TARGETS.forEach(function (t) { tr.append(td(c.byTarget[t])); });
    ROLES.forEach(function (r) { tr.append(td(c.visitorsByRole[r])); });
    tr.append(td(c.leaderVisits), td(c.unplanned));
    return tr;
  }

  function rowHead(text) {
    var cell = el('th', '', text);
    cell.scope = 'row';
    return cell;
  }

  function fill(id, head, rows, foot) {
    var table = document.getElementById(id);
    table.tHead.replaceChildren.apply(table.tHead, head);
    table.tBodies[0].replaceChildren.apply(table.tBodies[0], rows);
    if (foot) table.tFoot.replaceChildren(foot);
  }

  function renderCollege(s) {
    var c = s.coverage;
    document.getElementById('title').firstChild.textContent = s.college.name + ' · 走访统计 ';
    document.title = s.college.name + ' · 走访统计 · 家校心桥';
    document.getElementById('subtitle').textContent = s.campaign.title + ' · 统计于 ' + window.hsbDateTime(s.computedAt) + ' · 报送截止 ' + s.campaign.statisticsDueText + '（北京时间）';
    document.getElementById('tiles').replaceChildren(
      tile('家访学生（计入比例）', c.counted + ' / ' + c.required, c.met ? '已达到 ' + c.percent + ' 目标' : '尚未达到 ' + c.percent + ' 目标', c.met ? 'text-success' : 'text-danger'),
      tile('家访人次', s.totals.visits, '不重复学生 ' + c.visited + ' 人'),
      tile('校领导家访', s.totals.leaderVisits, c.leaderVisitsCount ? '计入学院比例' : '不计入学院比例'),
      tile('计划外家访', s.totals.unplanned, null),
      tile('计划未访', s.planned.notVisited, '批准计划 ' + s.planned.entries + ' 人', s.planned.notVisited ? 'text-warning-emphasis' : ''),
      tile('报告草稿', s.drafts, '未提交，不计入')
    );

    chart('coverage-chart', {
      grid: { left: 40, right: 10, top: 20, bottom: 30 },
      xAxis: { type: 'category', data: ['需家访', '已访（计入）', '已访（全部）'], axisLabel: { interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', label: { show: true, position: 'top' }, data: [{ value: c.required, itemStyle: { color: '#6c757d' } }, { value: c.counted, itemStyle: { color: c.met ? '#198754' : '#b02a37' } }, { value: c.visited, itemStyle: { color: '#0a58ca' } }] }],
    });
    chart('mode-chart', {
      legend: { bottom: 0 },
      series: [{ type: 'pie', radius: ['35%', '65%'], label: { formatter: '{b}\n{c}' }, data: MODES.map(function (m) { return { name: MODE_SHORT[m], value: s.totals.byMode[m] }; }) }],
    });
    chart('grade-chart', {
      legend: { top: 0 },
      grid: { left: 40, right: 10, top: 30, bottom: 30 },
      xAxis: { type: 'category', data: s.byGrade.map(function (g) { return g.grade; }) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: '家访学生', type: 'bar', data: s.byGrade.map(function (g) { return g.students; }) },
        { name: '家访人次', type: 'bar', data: s.byGrade.map(function (g) { return g.visits; }) },
      ],
    });

    var rows = s.rows.map(function (r) {
      var tr = el('tr');
      tr.dataset.row = r.grade + '/' + r.major;
      tr.append(rowHead(r.grade), td(r.major, 'text-start'), td(r.enrolled));
      return countCells(tr, r);
    });
    var total = el('tr', 'fw-semibold');
    total.dataset.row = 'total';
    var label = rowHead('合计');
    label.colSpan = 2;
    total.append(label, td(c.enrolled));
    fill('statistics-table', countHeader(['年级', '专业', '在校学生数'], s.vocabulary), rows, countCells(total, s.totals));

    var missing = s.plannedNotVisited.map(function (e) {
      var tr = el('tr');
      tr.append(rowHead(e.studentNo), td(e.studentName, 'text-start'), td(e.grade + ' · ' + e.major, 'text-start'), td(e.modeZh, 'text-start'), td(e.visitors.map(function (v) { return v.name + '（' + v.roleZh + '）'; }).join('、'), 'text-start'));
      var state = el('td');
      state.append(el('span', 'badge ' + (e.report === 'draft' ? 'bg-info text-dark' : 'bg-secondary'), e.reportZh));
      tr.append(state);
      return tr;
    });
    if (!missing.length) {
      var none = el('tr');
      var cell = el('td', 'text-muted', '批准计划中的家访均已提交报告。');
      cell.colSpan = 6;
      none.append(cell);
      missing = [none];
    }
    document.querySelector('#missing-table tbody').replaceChildren.apply(document.querySelector('#missing-table tbody'), missing);
    document.getElementById('college-view').classList.remove('d-none');
  }

  function renderSchool(s) {
    var t = s.total;
    document.getElementById('title').firstChild.textContent = '全校家访统计汇总 ';
    document.title = '全校家访统计汇总 · 家校心桥';
    document.getElementById('subtitle').textContent = s.campaign.title + ' · 统计于 ' + window.hsbDateTime(s.computedAt) + ' · 报送截止 ' + s.campaign.statisticsDueText + '（北京时间）';
    document.getElementById('tiles').replaceChildren(
      tile('达到家访比例的学院', t.coverage.collegesMet + ' / ' + t.coverage.colleges, null, t.coverage.collegesMet === t.coverage.colleges ? 'text-success' : 'text-danger'),
      tile('家访学生', t.totals.students, '需至少 ' + t.coverage.required + ' 人'),
      tile('家访人次', t.totals.visits, null),
      tile('校领导家访', t.totals.leaderVisits, null),
      tile('计划外家访', t.totals.unplanned, null),
      tile('计划未访', t.planned.notVisited, '批准计划 ' + t.planned.entries + ' 人', t.planned.notVisited ? 'text-warning-emphasis' : '')
    );
    var names = s.colleges.map(function (c) { return c.college.name || c.college.code; });
    chart('colleges-chart', {
      legend: { top: 0 },
      grid: { left: 40, right: 10, top: 30, bottom: 60 },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 4 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: '需家访', type: 'bar', data: s.colleges.map(function (c) { return c.coverage.required; }), itemStyle: { color: '#6c757d' } },
        { name: '已家访（计入）', type: 'bar', data: s.colleges.map(function (c) { return c.coverage.counted; }), itemStyle: { color: '#198754' } },
      ],
    });
    var rows = s.colleges.map(function (c) {
      var tr = el('tr');
      tr.dataset.row = c.college.code;
      var name = el('a', '', c.college.name || c.college.code);
      name.href = '/visits/' + encodeURIComponent(campaignId) + '/statistics?college=' + encodeURIComponent(c.college.code || c.college.id);
      var head = rowHead('');
      head.append(name);
      tr.append(head, td(c.coverage.enrolled), td(c.coverage.required), td(c.coverage.counted, 'text-end ' + (c.coverage.met ? 'text-success' : 'text-danger')));
      countCells(tr, c.totals);
      tr.append(td(c.planned.notVisited));
      return tr;
    });
    var head = countHeader(['学院', '在校学生数', '应家访人数', '计入比例人数'], s.vocabulary);
    head[0].append(th('计划未访', { rowspan: 2 }));
    var total = el('tr', 'fw-semibold');
    total.dataset.row = 'total';
    total.append(rowHead('合计'), td(t.coverage.enrolled), td(t.coverage.required), td(t.coverage.counted));
    countCells(total, t.totals).append(td(t.planned.notVisited));
    fill('rollup-table', head, rows, total);
    document.getElementById('school-view').classList.remove('d-none');
  }

  window.addEventListener('resize', function () {
    ['coverage-chart', 'mode-chart', 'grade-chart', 'colleges-chart'].forEach(function (id) { var c = window.echarts.getInstanceByDom(document.getElementById(id)); if (c) c.resize(); });
  });

  document.getElementById('overview-link').href = '/visits/' + encodeURIComponent(campaignId);
  window.hsbSession.then(function (me) {
    var college = new URLSearchParams(window.location.search).get('college') || me.college || '';
    var query = college ? '?college=' + encodeURIComponent(college) : '';
    return window.hsbGet(base + query).then(function (s) {
      var download = document.getElementById('download');
      download.href = base + '.xlsx' + query;
      download.classList.remove('d-none');
      if (college) renderCollege(s); else renderSchool(s);
    });
  }).catch(function (error) {
    window.hsbShowMessage('danger', '统计加载失败：' + window.hsbProblemText(error));
  });
})();
