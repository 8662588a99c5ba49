// My visits: for a campaign (the open one unless another is picked), the approved plan entries naming the
// signed-in visitor with their report state, and their unplanned visits. "填写报告" starts the report
// (POST /api/visit-reports, which answers the report already started) and opens it.
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var STATE_CLASS = { none: 'bg-secondary', draft: 'bg-info text-dark', submitted: 'bg-success' };
  var campaignId = new URLSearchParams(window.location.search).get('campaign');

  function openReport(body, button) {
    if (button) button.disabled = true;
    return window.hsbApi('POST', '/api/visit-reports', body).then(function (r) {
      if (!r.ok) {
        if (button) button.disabled = false;
        throw Object.assign(new Error((r.body && r.body.messageZh) || '无法开始填写报告'), r.body || {});
      }
      window.location.href = '/visits/reports/' + encodeURIComponent(r.body.id);
    });
  }

  function row(visit, report, start) {
    var item = window.hsbEl('div', 'list-group-item d-flex flex-wrap align-items-center gap-2');
    var body = window.hsbEl('div', 'visit-row');
    body.append(window.hsbEl('div', 'fw-semibold', visit.studentNo + ' ' + visit.studentName));
    body.append(window.hsbEl('div', 'small text-muted', [visit.major, visit.grade + '级', visit.modeZh, visit.plannedOn ? '计划 ' + visit.plannedOn : visit.reason || ''].filter(Boolean).join(' · ')));
    var badge = window.hsbEl('span', 'badge ' + (STATE_CLASS[report.state] || 'bg-secondary'), report.stateZh + (report.version ? ' v' + report.version : ''));
    badge.dataset.state = report.state;
    var action;
    if (report.state === 'none') {
      action = window.hsbEl('button', 'btn btn-sm btn-primary', '填写报告');
      action.type = 'button';
      action.addEventListener('click', function () {
        start(action).catch(function (error) { window.hsbShowMessage('danger', window.hsbProblemText(error)); });
      });
    } else {
      action = window.hsbEl('a', 'btn btn-sm btn-outline-primary', report.state === 'draft' ? '继续填写' : '查看');
      action.href = '/visits/reports/' + encodeURIComponent(report.id);
    }
    action.setAttribute('aria-label', action.textContent + '：' + visit.studentName);
    item.dataset.student = visit.studentNo;
    item.append(body, badge, action);
    return item;
  }

  function show(mine) {
    var c = mine.counts;
    $('counts').textContent = mine.campaign.title + '（' + mine.campaign.visitStartsOn + ' – ' + mine.campaign.visitEndsOn + '）：计划 ' + c.planned + ' 次，未填写 ' + c.none + '，草稿 ' + c.draft + '，已提交 ' + c.submitted + '；计划外 ' + c.unplanned + ' 次';
    var planned = $('planned');
    planned.textContent = '';
    if (!mine.items.length) planned.append(window.hsbEl('div', 'list-group-item text-muted', '本次活动的批准计划中没有您的家访。'));
    mine.items.forEach(function (e) {
      planned.append(row(e, e.report, function (button) {
        return openReport({ campaign: mine.campaign.id, college: e.college.id, entryId: e.id }, button);
      }));
    });
    var unplanned = $('unplanned');
    unplanned.textContent = '';
    if (!mine.unplanned.length) unplanned.append(window.hsbEl('div', 'list-group-item text-muted', '暂无计划外家访。'));
    mine.unplanned.forEach(function (u) { unplanned.append(row(u, u.report)); });
    $('start-unplanned').classList.toggle('d-none', mine.campaign.state !== 'open');
  }

  function load() {
    if (!campaignId) return Promise.resolve();
    return window.hsbGet('/api/visit-reports/mine?campaign=' + encodeURIComponent(campaignId)).then(show);
  }

  var searchTimer = null;
  $('u-student').addEventListener('input', function () {
    var text = $('u-student').value.trim();
    clearTimeout(searchTimer);
    if (text.length < 2) return;
    searchTimer = setTimeout(function () {
      window.hsbApi('GET', '/api/students?limit=10&q=' + encodeURIComponent(text)).then(function (r) {
        var list = $('u-students');
        list.textContent = '';
        (r.ok ? r.body.items : []).forEach(function (s) {
          var option = window.hsbEl('option', '', s.name + ' ' + (s.major || ''));
          option.value = s.studentNo;
          list.append(option);
        });
      });
    }, 250);
  });

  $('unplanned-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var student = $('u-student').value.trim();
    var reason = $('u-reason').value.trim();
    $('u-student').classList.toggle('is-invalid', !student);
    $('u-reason').classList.toggle('is-invalid', !reason);
    $('u-problem').textContent = '';
    if (!student || !reason) {
      $('u-problem').textContent = '请填写学生和原因。Student and reason are required.';
      return;
    }
    var button = event.submitter || null;
    openReport({ campaign: campaignId, student: student, reason: reason, mode: $('u-mode').value }, button).catch(function (error) {
      var details = (error.details || []).map(function (d) { return d.message; }).join('；');
      $('u-problem').textContent = window.hsbProblemText(error) + (details ? '：' + details : '') + (error.messageEn ? '（' + error.messageEn + '）' : '');
    });
  });

  window.hsbSession.then(function () {
    return window.hsbGet('/api/visit-campaigns?limit=100').then(function (campaigns) {
      var items = (campaigns.items || []).filter(function (c) { return c.state !== 'draft'; });
      if (!campaignId) campaignId = (items.filter(function (c) { return c.state === 'open'; })[0] || items[0] || {}).id || null;
      var select = $('campaign');
      items.forEach(function (c) {
        var option = window.hsbEl('option', '', c.title + (c.state === 'open' ? '' : '（已结束）'));
        option.value = c.id;
        option.selected = c.id === campaignId;
        select.append(option);
      });
      select.addEventListener('change', function () {
        window.location.search = '?campaign=' + encodeURIComponent(select.value);
      });
      if (!campaignId) {
        window.hsbShowMessage('info', '暂无进行中的家访活动。No open campaign.');
        $('start-unplanned').classList.add('d-none');
      }
      return load();
    });
  }).then(function () {
    document.body.dataset.ready = 'true';
  }).catch(function (error) {
    window.hsbShowMessage('danger', '加载失败：' + window.hsbProblemText(error));
  });
})();
