// F1: the dashboard of a counselor, a college or the school. Figures come from /api/dashboard (stored
// figures, recomputed every minute); each tile opens the list behind it, read from the same records.
(function () {
  var el = window.hsbEl;
  var params = new URLSearchParams(window.location.search);
  var TIERS = [['special', '特殊关注'], ['key', '重点关注'], ['general', '一般']];
  var AGES = [['0-3', '3 天内'], ['4-7', '4–7 天'], ['8-30', '8–30 天'], ['31+', '30 天以上']];
  var CATEGORY = { academic: '学业问题', cannotFollow: '无法参加教学', internetOrExtreme: '网瘾或思想偏激', emergency: '突发事件或重大疾病', statusChange: '学籍异动', other: '其他' };
  var view;

  function query(extra) {
    var q = new URLSearchParams(params);
    Object.keys(extra || {}).forEach(function (k) { if (extra[k]) q.set(k, extra[k]); else q.delete(k); });
    var text = q.toString();
    return text ? '?' + text : '';
  }

  function tile(label, value, detail, action) {
    var col = el('div', 'col-6 col-md-4 col-xl-2');
    var card = action && action.href ? el('a', 'card tile h-100') : action ? el('button', 'card tile h-100') : el('div', 'card h-100');
    if (action && action.href) card.href = action.href;
    if (action && action.open) {
      card.type = 'button';
      card.addEventListener('click', action.open);
    }
    card.setAttribute('data-tile', action && action.name || label);
    var body = el('div', 'card-body p-3');
    body.append(el('div', 'small text-muted', label), el('div', 'figure', String(value)));
    if (detail) body.append(el('div', 'small text-muted', detail));
    card.append(body);
    col.append(card);
    return col;
  }

  function crumbs() {
    var list = document.getElementById('crumbs');
    list.replaceChildren();
    var scope = view.scope;
    var items = [];
    if (!window.hsbMe.college) items.push(['全校', '/dashboard']);
    if (scope.college) items.push([scope.college.name, '/dashboard?college=' + encodeURIComponent(scope.college.code)]);
    if (scope.counselor) items.push([scope.counselor.name + '（辅导员）', null]);
    items.forEach(function (item, i) {
      var li = el('li', 'breadcrumb-item' + (i === items.length - 1 ? ' active' : ''));
      if (i === items.length - 1 || !item[1]) {
        li.textContent = item[0];
        if (i === items.length - 1) li.setAttribute('aria-current', 'page');
      } else {
        var a = el('a', '', item[0]);
        a.href = item[1];
        li.append(a);
      }
      list.append(li);
    });
  }

  function table(id, head, rows) {
    var t = document.getElementById(id);
    if (head) {
      var tr = el('tr');
      head.forEach(function (h, i) { var th = el('th', i ? 'text-end' : '', h); th.scope = 'col'; tr.append(th); });
      t.tHead.replaceChildren(tr);
    }
    t.tBodies[0].replaceChildren.apply(t.tBodies[0], rows);
  }

  function cell(content, className) {
    var td = el('td', className || '');
    if (content instanceof Node) td.append(content); else td.textContent = content;
    return td;
  }

  function chart(id, option) {
    var node = document.getElementById(id);
    var existing = window.echarts.getInstanceByDom(node);
    var instance = existing || window.echarts.init(node, null, { renderer: 'canvas' });
    instance.setOption(option, true);
  }

  // --- the lists behind the tiles ---
  function openDrill(title, load) {
    var drill = document.getElementById('drill');
    drill.classList.remove('d-none');
    document.getElementById('drill-title').textContent = title;
    document.getElementById('drill-summary').textContent = '加载中…';
    table('drill-table', null, []);
    drill.focus();
    load().catch(function (error) {
      document.getElementById('drill-summary').textContent = '加载失败：' + window.hsbProblemText(error);
    });
  }

  function scopeIds() {
    return { college: view.scope.college && view.scope.college.id, counselor: view.scope.counselor && view.scope.counselor.id };
  }

  function drillOverdue(tier) {
    var label = tier ? TIERS.filter(function (t) { return t[0] === tier; })[0][1] : '全部等级';
    openDrill('逾期未联系的学生（' + label + '）', function () {
      var ids = scopeIds();
      var q = new URLSearchParams({ limit: '5000' });
      if (ids.college) q.set('college', ids.college);
      if (ids.counselor) q.set('counselor', ids.counselor);
      if (tier) q.set('tier', tier);
      return window.hsbGet('/api/contacts/overdue?' + q.toString()).then(function (result) {
        var rows = [];
        result.counselors.forEach(function (group) {
          group.students.forEach(function (s) {
            var link = el('a', '', s.studentNo + ' ' + s.name);
            link.href = '/students/' + encodeURIComponent(s.id) + '#contacts';
            rows.push(el('tr', '', undefined));
            rows[rows.length - 1].append(cell(link), cell(s.className || ''), cell((TIERS.filter(function (t) { return t[0] === s.careTier; })[0] || [0, s.careTier])[1]), cell(s.lastContactAt ? window.hsbDate(s.lastContactAt) : '从未联系'), cell(group.counselorName || '未分配'));
          });
        });
        table('drill-table', ['学生', '班级', '关注等级', '上次联系', '辅导员'], rows);
        document.getElementById('drill-summary').textContent = '共 ' + result.total + ' 人' + (result.truncated ? '（仅显示前 ' + rows.length + ' 人）' : '');
      });
    });
  }

  function drillCases() {
    openDrill('未结重点沟通个案', function () {
      var ids = scopeIds();
      var q = new URLSearchParams({ status: 'open', limit: '200' });
      if (ids.college) q.set('college', ids.college);
      if (ids.counselor) q.set('owner', ids.counselor);
      return window.hsbGet('/api/cases?' + q.toString()).then(function (result) {
        var rows = result.items.map(function (c) {
          var link = el('a', '', '查看学生');
          link.href = '/students/' + encodeURIComponent(c.student) + '#cases';
          var tr = el('tr');
          tr.append(cell(c.categoryZh || CATEGORY[c.category] || c.category), cell(c.alerts && c.alerts[0] ? window.hsbDate(c.alerts[0].at) : ''), cell(window.hsbDateTime(c.deadline)), cell(c.overdue ? '已逾期' : '', c.overdue ? 'text-danger fw-semibold' : ''), cell(link));
          return tr;
        });
        table('drill-table', ['类别', '提出', '办结期限', '状态', '学生'], rows);
        document.getElementById('drill-summary').textContent = '共 ' + result.total + ' 件';
      });
    });
  }

  function drillGoodNews() {
    openDrill('本学年喜报', function () {
      var ids = scopeIds();
      var q = new URLSearchParams({ goodNews: 'true', limit: '200' });
      if (view.yearStart) q.set('since', new Date(view.yearStart).toISOString());
      if (ids.college) q.set('college', ids.college);
      if (ids.counselor) q.set('owner', ids.counselor);
      return window.hsbGet('/api/awards?' + q.toString()).then(function (result) {
        var rows = result.items.map(function (a) {
          var link = el('a', '', '查看学生');
          link.href = '/students/' + encodeURIComponent(a.student) + '#awards';
          var letter = el('a', '', '喜报');
          letter.href = '/api/awards/' + encodeURIComponent(a.id) + '/letter';
          var tr = el('tr');
          tr.append(cell(a.title), cell(window.hsbDate(a.date)), cell(a.deliveries && a.deliveries.length ? '已送达' : '未送达'), cell(letter), cell(link));
          return tr;
        });
        table('drill-table', ['奖项', '日期', '送达', '喜报', '学生'], rows);
        document.getElementById('drill-summary').textContent = '共 ' + result.total + ' 份';
      });
    });
  }

  // --- rendering ---
  function render() {
    var f = view.figures;
    var scope = view.scope;
    document.getElementById('title').firstChild.textContent = (scope.counselor ? scope.counselor.name + ' · ' : scope.college ? scope.college.name + ' · ' : '全校 · ') + '数据看板 ';
    document.getElementById('computed-at').textContent = '数据更新于 ' + window.hsbDateTime(view.computedAt) + '（' + view.academicYear + ' 学年）';
    document.getElementById('export').href = '/api/dashboard.xlsx' + query();
    crumbs();

    var narrow = new URLSearchParams();
    if (scope.college) narrow.set('college', scope.college.code);
    if (scope.counselor) narrow.set('counselor', scope.counselor.username);
    var studentsHref = '/students' + (narrow.toString() ? '?' + narrow.toString() : '');
    var staleHref = '/students?stale=true' + (narrow.toString() ? '&' + narrow.toString() : '');
    var coverage = view.coverage[0];
    var tiles = [
      tile('学生数', f.students, null, { href: studentsHref, name: 'students' }),
      tile('本学年未确认档案', f.stale, f.students ? Math.round((f.stale / f.students) * 100) + '%' : null, { href: staleHref, name: 'stale' }),
      tile('逾期未联系', f.overdue, '特殊 ' + f.overdueByTier.special + ' · 重点 ' + f.overdueByTier.key + ' · 一般 ' + f.overdueByTier.general, { open: function () { drillOverdue(null); }, name: 'overdue' }),
      tile('未结重点沟通个案', f.casesOpen, '其中逾期 ' + f.casesOverdue, { open: drillCases, name: 'cases' }),
      tile('喜报（本学年）', f.goodNews, '已送达 ' + f.goodNewsDelivered, { open: drillGoodNews, name: 'goodNews' }),
      coverage
        ? tile('家访计划覆盖', coverage.planned + ' / ' + coverage.required, coverage.title, { href: '/visits/' + encodeURIComponent(coverage.campaign), name: 'coverage' })
        : tile('家访计划覆盖', '—', '暂无进行中的家访活动', null),
    ];
    document.getElementById('tiles').replaceChildren.apply(document.getElementById('tiles'), tiles);

    // Overdue by tier: chart, and the same numbers as a table whose rows open the list.
    chart('tier-chart', {
      grid: { left: 40, right: 10, top: 10, bottom: 30 },
      xAxis: { type: 'category', data: TIERS.map(function (t) { return t[1]; }) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: TIERS.map(function (t) { return f.overdueByTier[t[0]]; }), itemStyle: { color: '#b02a37' } }],
    });
    table('tier-table', null, TIERS.map(function (t) {
      var button = el('button', 'btn btn-link btn-sm p-0', t[1]);
      button.type = 'button';
      button.addEventListener('click', function () { drillOverdue(t[0]); });
      var tr = el('tr');
      tr.append(cell(button), cell(String(f.overdueByTier[t[0]]), 'text-end'));
      return tr;
    }));

    // Cases by category, stacked by age.
    var categories = view.casesByCategory;
    chart('cases-chart', {
      legend: { top: 0 },
      grid: { left: 40, right: 10, top: 30, bottom: 60 },
      xAxis: { type: 'category', data: categories.map(function (c) { return CATEGORY[c.category] || c.category; }), axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: AGES.map(function (age) { return { name: age[1], type: 'bar', stack: 'age', data: categories.map(function (c) { return c.ages[age[0]] || 0; }) }; }),
    });
    table('cases-table', ['类别'].concat(AGES.map(function (a) { return a[1]; }), ['逾期']), categories.map(function (c) {
      var tr = el('tr');
      tr.append(cell(CATEGORY[c.category] || c.category));
      AGES.forEach(function (age) { tr.append(cell(String(c.ages[age[0]] || 0), 'text-end')); });
      tr.append(cell(String(c.overdue), 'text-end'));
      return tr;
    }));

    table('coverage-table', null, view.coverage.map(function (c) {
      var link = el('a', '', c.title);
      link.href = '/visits/' + encodeURIComponent(c.campaign);
      var tr = el('tr');
      tr.append(cell(link), cell(String(c.enrolled), 'text-end'), cell(String(c.required), 'text-end'), cell(String(c.planned), 'text-end' + (c.planned < c.required ? ' text-danger' : '')), cell(c.approved + ' / ' + c.colleges, 'text-end'));
      return tr;
    }));

    var breakdown = document.getElementById('breakdown');
    breakdown.classList.toggle('d-none', view.breakdown.length === 0);
    if (view.breakdown.length) {
      var byCollege = scope.level === 'school';
      document.getElementById('breakdown-title').textContent = byCollege ? '各学院' : '各辅导员';
      table('breakdown-table', [byCollege ? '学院' : '辅导员', '学生数', '未确认档案', '逾期未联系', '未结个案', '喜报'], view.breakdown.map(function (r) {
        var name = r.id ? el('a', '', r.name) : el('span', '', r.name);
        if (r.id) name.href = '/dashboard' + (byCollege ? '?college=' + encodeURIComponent(r.code) : '?counselor=' + encodeURIComponent(r.code));
        var tr = el('tr');
        tr.append(cell(name), cell(String(r.students), 'text-end'), cell(String(r.stale), 'text-end'), cell(String(r.overdue), 'text-end'), cell(String(r.casesOpen), 'text-end'), cell(String(r.goodNews), 'text-end'));
        return tr;
      }));
    }
  }

  document.getElementById('drill-close').addEventListener('click', function () { document.getElementById('drill').classList.add('d-none'); });
  window.addEventListener('resize', function () {
    ['tier-chart', 'cases-chart'].forEach(function (id) { var c = window.echarts.getInstanceByDom(document.getElementById(id)); if (c) c.resize(); });
  });

  window.hsbSession.then(function (me) {
    window.hsbMe = me;
    if (!window.hsbCan(me, 'dashboards:read')) {
      window.hsbShowMessage('warning', '您的角色没有数据看板。Your role has no dashboard.');
      return;
    }
    return window.hsbGet('/api/dashboard' + query()).then(function (result) {
      view = result;
      render();
    });
  }).catch(function (error) {
    window.hsbShowMessage('danger', '看板加载失败：' + window.hsbProblemText(error));
  });
})();
