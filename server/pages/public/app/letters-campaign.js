// B6: one term letter — its state, launching it, the progress bar (polling …/progress while the letters are
// made and sent), closing it, and the report with its charts (GET …/report; the XLSX is the same figures).
(function () {
  var el = window.hsbEl;
  var id = decodeURIComponent(window.location.pathname.split('/')[2] || '');
  var base = '/api/letter-campaigns/' + encodeURIComponent(id);
  var college = new URLSearchParams(window.location.search).get('college') || '';
  var query = college ? '?college=' + encodeURIComponent(college) : '';
  var me = null;
  var campaign = null;
  var polling = null;
  var POLL_MS = 1000;

  function show(node, visible) { node.classList.toggle('d-none', !visible); }
  function n(value) { return value === null || value === undefined ? '—' : String(value); }

  function renderCampaign(c) {
    campaign = c;
    document.title = c.title + ' · 致家长的一封信 · 家校心桥';
    document.getElementById('title').firstChild.textContent = c.title + ' ';
    document.getElementById('crumb').textContent = c.title;
    var state = document.getElementById('state');
    state.className = 'badge ' + window.hsbLetterStateClass(c.state);
    state.textContent = c.stateZh;
    state.dataset.state = c.state;
    document.getElementById('subtitle').textContent = c.academicYear + ' ' + c.termZh + (c.sendAt ? ' · 定于 ' + window.hsbDateTime(c.sendAt) + ' 发送' : '') + ' · 反馈截止 ' + c.feedbackDueText + '（北京时间）';
    var manage = window.hsbCan(me, 'letters:manage');
    var edit = document.getElementById('edit');
    edit.href = '/letters/new?id=' + encodeURIComponent(c.id);
    show(edit, manage && (c.state === 'draft' || c.state === 'scheduled'));
    show(document.getElementById('launch'), manage && c.state === 'draft');
    show(document.getElementById('close'), manage && (c.state === 'open' || c.state === 'sending'));
    var download = document.getElementById('download');
    download.href = base + '/report.xlsx' + query;
    show(download, c.state !== 'draft' && c.state !== 'scheduled');
    show(document.getElementById('progress'), c.state !== 'draft');
  }

  function renderProgress(p) {
    var done = p.state === 'open' || p.state === 'closed';
    var at = done ? { percent: 100, text: '发送完成：已发出 ' + (p.sent + p.failed + p.print) + ' / ' + p.created + ' 封' } : p.state === 'scheduled' ? { percent: 0, text: '已排期，到发送时间后开始' } : window.hsbLetterProgress(p);
    var bar = document.getElementById('progress-bar');
    bar.setAttribute('aria-valuenow', String(at.percent));
    bar.dataset.done = String(done);
    var fill = document.getElementById('progress-fill');
    fill.style.width = at.percent + '%';
    fill.classList.toggle('progress-bar-animated', !done);
    fill.classList.toggle('progress-bar-striped', !done);
    fill.classList.toggle('bg-success', done);
    document.getElementById('progress-text').textContent = at.text;
    var figures = [['家庭', p.families, 'families'], ['已生成', p.created, 'created'], ['待发送', p.pending, 'pending'], ['已发送', p.sent, 'sent'], ['已送达', p.delivered, 'delivered'], ['发送失败', p.failed, 'failed'], ['纸质信', p.print, 'print'], ['已读', p.opened, 'opened'], ['已反馈', p.answered, 'answered']];
    document.getElementById('progress-figures').replaceChildren.apply(document.getElementById('progress-figures'), figures.map(function (f) {
      var cell = el('div', 'col');
      var dd = el('dd', 'fs-5 fw-semibold mb-0', n(f[1]));
      dd.dataset.figure = f[2];
      cell.append(el('dt', 'fw-normal text-muted', f[0]), dd);
      return cell;
    }));
    return done;
  }

  function poll() {
    window.hsbGet(base + '/progress').then(function (p) {
      var done = renderProgress(p);
      if (p.state !== campaign.state) {
        return window.hsbGet(base).then(function (c) {
          renderCampaign(c);
          if (done) loadReport();
          schedule(p.state);
        });
      }
      schedule(p.state);
      return null;
    }).catch(function (error) {
      window.hsbShowMessage('warning', '进度刷新失败，稍后重试：' + window.hsbProblemText(error));
      schedule('sending');
    });
  }
  function schedule(state) {
    clearTimeout(polling);
    if (state === 'sending' || state === 'scheduled') polling = setTimeout(poll, POLL_MS);
  }

  function tile(label, value, detail) {
    var col = el('div', 'col-6 col-md-4 col-xl-2');
    col.dataset.tile = label;
    var card = el('div', 'card h-100');
    var body = el('div', 'card-body py-2');
    body.append(el('div', 'text-muted small', label), el('div', 'figure', n(value)));
    if (detail) body.append(el('div', 'small text-muted', detail));
    card.append(body);
    col.append(card);
    return col;
  }
  function chart(node, option) {
    var target = document.getElementById(node);
    var instance = window.echarts.getInstanceByDom(target) || window.echarts.init(target, null, { renderer: 'canvas' });
    instance.setOption(option, true);
  }
  function cell(text, end) { return el('td', end === false ? '' : 'text-end', n(text)); }
  function head(labels) {
    var tr = el('tr');
    labels.forEach(function (label, i) {
      var th = el('th', i === 0 || (labels[0] === '辅导员' && i === 1) ? '' : 'text-end', label);
      th.scope = 'col';
      tr.append(th);
    });
    return tr;
  }
  var FIGURES = ['letters', 'sent', 'delivered', 'failed', 'printed', 'opened', 'answered', 'tickets', 'closedWithFollowThrough', 'closedShare', 'unfinished', 'responseHoursP50', 'responseHoursP90'];
  var FIGURE_ZH = ['信件数', '已发送', '已送达', '发送失败', '纸质信', '已读', '已反馈', '反馈条数', '有落实已办结', '办结率（%）', '未办结', '首次回应中位数（小时）', '首次回应P90（小时）'];
  function figureCells(tr, line) {
    FIGURES.forEach(function (f) { tr.append(cell(line[f])); });
    return tr;
  }
  function rowHead(text) {
    var th = el('th', '', text);
    th.scope = 'row';
    return th;
  }
  function fillTable(tableId, headRow, rows, empty) {
    var table = document.getElementById(tableId);
    table.tHead.replaceChildren(headRow);
    if (!rows.length) {
      var tr = el('tr');
      var td = el('td', 'text-muted', empty);
      td.colSpan = headRow.children.length;
      tr.append(td);
      rows = [tr];
    }
    table.tBodies[0].replaceChildren.apply(table.tBodies[0], rows);
  }

  function renderReport(r) {
    var t = r.totals;
    show(document.getElementById('report'), true);
    document.getElementById('report-scope').textContent = (r.college ? r.college.name || r.college.code : '全校') + ' · 统计于 ' + window.hsbDateTime(r.computedAt);
    document.getElementById('tiles').replaceChildren(
      tile('信件', t.letters, '纸质信 ' + t.printed + ' 封'),
      tile('已发送', t.sent, '已送达 ' + t.delivered + ' · 失败 ' + t.failed),
      tile('已读', t.opened, t.letters ? Math.round((100 * t.opened) / t.letters) + '% 的家庭' : null),
      tile('已反馈', t.answered, '反馈 ' + t.tickets + ' 条'),
      tile('有落实已办结', t.closedShare === null ? '—' : t.closedShare + '%', t.closedWithFollowThrough + ' / ' + t.tickets + ' 条'),
      tile('首次回应（小时）', t.responseHoursP50 === null ? '—' : t.responseHoursP50, t.responseHoursP90 === null ? '尚无回应' : '中位数；P90 ' + t.responseHoursP90 + ' 小时')
    );
    chart('reach-chart', {
      grid: { left: 40, right: 10, top: 20, bottom: 30 },
      xAxis: { type: 'category', data: ['信件', '已发送', '已送达', '已读', '已反馈'], axisLabel: { interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', label: { show: true, position: 'top' }, itemStyle: { color: '#0a58ca' }, data: [t.letters, t.sent, t.delivered, t.opened, t.answered] }],
    });
    chart('topic-chart', {
      legend: { bottom: 0 },
      series: [{ type: 'pie', radius: ['35%', '65%'], label: { formatter: '{b}\n{c}' }, data: r.topics.filter(function (x) { return x.tickets; }).map(function (x) { return { name: x.topicZh, value: x.tickets }; }) }],
    });
    var names = r.colleges.map(function (c) { return c.college.name || c.college.code; });
    chart('college-chart', {
      legend: { top: 0 },
      grid: { left: 40, right: 10, top: 30, bottom: 60 },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 4 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: '信件', type: 'bar', data: r.colleges.map(function (c) { return c.letters; }), itemStyle: { color: '#6c757d' } },
        { name: '已读', type: 'bar', data: r.colleges.map(function (c) { return c.opened; }), itemStyle: { color: '#0a58ca' } },
        { name: '已反馈', type: 'bar', data: r.colleges.map(function (c) { return c.answered; }), itemStyle: { color: '#198754' } },
      ],
    });
    fillTable('colleges-table', head(['学院'].concat(FIGURE_ZH)), r.colleges.map(function (c) {
      var tr = el('tr');
      tr.dataset.row = c.college.code || c.college.id;
      tr.append(rowHead(c.college.name || c.college.code));
      return figureCells(tr, c);
    }), '暂无信件。');
    fillTable('counselors-table', head(['辅导员', '学院'].concat(FIGURE_ZH)), r.counselors.map(function (c) {
      var tr = el('tr');
      tr.dataset.row = c.counselor.id || 'none';
      tr.append(rowHead(c.counselor.name || '（未分配）'), cell(c.college.name || c.college.code, false));
      return figureCells(tr, c);
    }), '暂无信件。');
    fillTable('topics-table', document.querySelector('#topics-table thead tr'), r.topics.map(function (x) {
      var tr = el('tr');
      tr.dataset.row = x.topic;
      tr.append(rowHead(x.topicZh), cell(x.tickets), cell(x.open), cell(x.responded), cell(x.closed));
      return tr;
    }), '');
    fillTable('owners-table', document.querySelector('#owners-table thead tr'), r.owners.map(function (o) {
      var tr = el('tr');
      tr.dataset.row = o.id;
      tr.append(rowHead(o.name), cell(o.unfinished), el('td', 'text-end' + (o.overdue ? ' text-danger fw-semibold' : ''), String(o.overdue)));
      return tr;
    }), '所有反馈均已办结。');
    document.body.dataset.report = 'true';
  }

  function loadReport() {
    return window.hsbGet(base + '/report' + query).then(renderReport).catch(function (error) {
      window.hsbShowMessage('danger', '统计加载失败：' + window.hsbProblemText(error));
    });
  }

  function act(button, method, path, confirmText, done) {
    button.addEventListener('click', function () {
      if (confirmText && !window.confirm(confirmText)) return;
      button.disabled = true;
      window.hsbApi(method, base + path, undefined, { 'If-Match': '"' + campaign.revision + '"' }).then(function (r) {
        if (!r.ok) throw Object.assign(new Error('HTTP ' + r.status), r.body || {});
        renderCampaign(r.body);
        window.hsbShowMessage('success', done);
        return refresh();
      }).catch(function (error) {
        window.hsbShowMessage('danger', '操作失败：' + window.hsbProblemText(error));
      }).finally(function () { button.disabled = false; });
    });
  }
  act(document.getElementById('launch'), 'POST', '/launch', '确认发送这封信？发送后不能再修改。', '已开始发送。');
  act(document.getElementById('close'), 'POST', '/close', '确认结束反馈？结束后家长的链接将无法打开。', '已结束反馈。');

  function refresh() {
    if (campaign.state === 'draft') return Promise.resolve();
    return window.hsbGet(base + '/progress').then(function (p) {
      renderProgress(p);
      schedule(p.state);
      if (p.state !== 'scheduled') return loadReport();
      return null;
    });
  }

  window.addEventListener('resize', function () {
    ['reach-chart', 'topic-chart', 'college-chart'].forEach(function (c) { var i = window.echarts.getInstanceByDom(document.getElementById(c)); if (i) i.resize(); });
  });

  window.hsbSession.then(function (who) {
    me = who;
    return window.hsbGet(base);
  }).then(function (c) {
    renderCampaign(c);
    return refresh();
  }).then(function () {
    document.body.dataset.ready = 'true';
  }).catch(function (error) {
    window.hsbShowMessage('danger', '加载失败：' + window.hsbProblemText(error));
  });
})();
