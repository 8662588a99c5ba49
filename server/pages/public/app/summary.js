// 学院总结 (D10): the draft generated from the records, edited section by section, saved (If-Match),
// submitted to student affairs, downloaded as PDF (/api/visit-campaigns/:id/colleges/:college/summary).
(function () {
  var parts = window.location.pathname.split('/');
  var campaignId = decodeURIComponent(parts[2] || '');
  var college = decodeURIComponent(parts[4] || '');
  var base = '/api/visit-campaigns/' + encodeURIComponent(campaignId) + '/colleges/' + encodeURIComponent(college) + '/summary';
  var el = window.hsbEl;
  var etag = null;
  var SECTIONS = ['overview', 'problems', 'cases', 'reflections'];
  var EN = { overview: 'The visits', problems: 'Problems met and how they were solved', cases: 'Typical cases', reflections: 'Reflections' };

  function figure(label, value) {
    var col = el('div', 'col-6 col-md-3');
    var card = el('div', 'card h-100');
    var body = el('div', 'card-body py-2');
    body.append(el('div', 'text-muted small', label), el('div', 'fs-5', value));
    card.append(body);
    col.append(card);
    return col;
  }

  function problem(r) {
    return (r.body && r.body.messageZh) || ('HTTP ' + r.status);
  }

  function render(s) {
    document.getElementById('title').textContent = (s.college.name || s.college.code) + ' 学院总结';
    document.title = s.college.name + ' 学院总结 · 家校心桥';
    document.getElementById('subtitle').textContent = s.campaign.title + (s.generated ? ' · 由记录生成的草稿，请核对修改后保存' : (s.updatedBy ? ' · 最近保存：' + s.updatedBy : ''));
    var state = document.getElementById('state');
    state.textContent = s.stateZh;
    state.className = 'badge fs-6 ' + (s.state === 'submitted' ? 'text-bg-success' : 'text-bg-secondary');
    var f = s.figures;
    document.getElementById('figures').replaceChildren(
      figure('提交家访报告', f.reports + ' 份'),
      figure('实地 / 视频 / 电话', f.byMode.onsite + ' / ' + f.byMode.video + ' / ' + f.byMode.phone),
      figure('走访学生 / 覆盖目标', f.studentsVisited + ' / ' + f.coverage.required + ' 人'),
      figure('校领导家访 · 计划外 · 需跟进', f.leaderVisits + ' · ' + f.unplanned + ' · ' + f.followUps),
    );
    var sections = document.getElementById('sections');
    sections.replaceChildren();
    var locked = s.state === 'submitted';
    SECTIONS.forEach(function (key) {
      var group = el('div', 'mb-3');
      var label = el('label', 'form-label', s.sectionTitles[key] + ' ');
      label.htmlFor = 's-' + key;
      label.append(el('small', 'text-muted', EN[key]));
      var area = el('textarea', 'form-control');
      area.id = 's-' + key;
      area.rows = key === 'overview' ? 4 : 7;
      area.value = s.sections[key];
      area.readOnly = locked;
      group.append(label, area);
      sections.append(group);
    });
    document.getElementById('save').classList.toggle('d-none', locked);
    document.getElementById('submit').classList.toggle('d-none', locked);
  }

  function answer(r, done) {
    if (!r.ok) {
      window.hsbShowMessage('danger', problem(r));
      return;
    }
    etag = r.etag;
    render(r.body);
    window.hsbShowMessage('success', done);
  }

  document.getElementById('overview-link').href = '/visits/' + encodeURIComponent(campaignId);
  document.getElementById('pdf').href = base + '.pdf';

  document.getElementById('summary').addEventListener('submit', function (event) {
    event.preventDefault();
    var sections = {};
    SECTIONS.forEach(function (key) { sections[key] = document.getElementById('s-' + key).value; });
    window.hsbApi('PUT', base, { sections: sections }, { 'If-Match': etag }).then(function (r) { answer(r, '已保存 Saved'); });
  });
  document.getElementById('submit').addEventListener('click', function () {
    window.hsbApi('POST', base + '/submit', undefined, { 'If-Match': etag }).then(function (r) { answer(r, '已提交学工部 Submitted'); });
  });

  function renderCases(items) {
    var list = document.getElementById('cases');
    list.replaceChildren();
    items.forEach(function (c) {
      var item = el('li', 'list-group-item d-flex flex-wrap gap-2 align-items-center');
      var link = el('a', 'me-auto', c.title + '（' + c.student.name + '）');
      link.href = '/visits/cases/' + encodeURIComponent(c.id);
      item.append(link, el('span', 'badge ' + (c.consent.badge.code === 'internalOnly' ? 'text-bg-secondary' : 'text-bg-success'), c.consent.badge.zh));
      list.append(item);
    });
    if (!items.length) list.append(el('li', 'list-group-item text-muted', '本次家访尚无典型案例'));
  }

  window.hsbSession.then(function () {
    return window.hsbApi('GET', base);
  }).then(function (r) {
    if (!r.ok) throw new Error(problem(r));
    etag = r.etag;
    render(r.body);
    return window.hsbGet('/api/typical-cases?campaign=' + encodeURIComponent(campaignId) + '&college=' + encodeURIComponent(college) + '&limit=200').then(function (list) { renderCases(list.items); });
  }).catch(function (error) {
    window.hsbShowMessage('danger', '加载失败：' + window.hsbProblemText(error));
  });
})();
