// A typical case (D9): its story, its pictures, the reports it draws on, and its consent state — what may
// be exported is offered only under a consent in force (GET/PATCH /api/typical-cases/:id, …/consents).
(function () {
  var id = decodeURIComponent(window.location.pathname.split('/')[3] || '');
  var base = '/api/typical-cases/' + encodeURIComponent(id);
  var el = window.hsbEl;
  var etag = null;
  var CHANNELS = [['internal', '校内交流'], ['wechat', '微信推文'], ['website', '学院官网']];
  var BADGE_CLASS = { internalOnly: 'text-bg-secondary', wechat: 'text-bg-success', website: 'text-bg-success', wechatAndWebsite: 'text-bg-success' };

  function problem(r) {
    var details = (r.body && r.body.details || []).map(function (d) { return d.message; }).join('；');
    return ((r.body && r.body.messageZh) || ('HTTP ' + r.status)) + (details ? '：' + details : '');
  }

  function render(c) {
    document.getElementById('title').textContent = c.title;
    document.title = c.title + ' · 典型案例 · 家校心桥';
    document.getElementById('subtitle').textContent = (c.college.name || '') + ' · ' + c.student.name + '（' + c.student.studentNo + '） · 编写人 ' + c.createdBy;
    var badge = document.getElementById('consent-badge');
    badge.className = 'badge fs-6 ' + (BADGE_CLASS[c.consent.badge.code] || 'text-bg-secondary');
    badge.textContent = c.consent.badge.zh;
    badge.title = c.consent.badge.en;
    ['title', 'before', 'after', 'afterGraduation'].forEach(function (key) { document.getElementById('f-' + key).value = c[key] || ''; });

    var pictures = document.getElementById('pictures');
    pictures.replaceChildren();
    c.pictures.forEach(function (p, i) {
      var col = el('div', 'col-6 col-md-3');
      var img = el('img', 'img-fluid rounded border');
      img.src = p.url;
      img.alt = c.title + ' 图片 ' + (i + 1);
      col.append(img);
      pictures.append(col);
    });
    if (!c.pictures.length) pictures.append(el('p', 'text-muted small', '未选择图片'));

    var reports = document.getElementById('reports');
    reports.replaceChildren();
    c.reports.forEach(function (r) {
      reports.append(el('li', 'list-group-item', r.campaign.title + ' · ' + r.modeZh + ' · ' + (r.visitedOn || '') + ' · ' + r.visitors.join('、')));
    });

    var exports = document.getElementById('exports');
    exports.replaceChildren();
    CHANNELS.forEach(function (ch) {
      if (c.consent.exportable[ch[0]]) {
        var link = el('a', 'btn btn-outline-primary btn-sm', '导出' + ch[1] + '宣传稿 PDF');
        link.href = base + '/publicity.pdf?channel=' + ch[0];
        link.dataset.channel = ch[0];
        exports.append(link);
      } else {
        var off = el('button', 'btn btn-outline-secondary btn-sm', ch[1] + '：未获同意，不能导出');
        off.type = 'button';
        off.disabled = true;
        exports.append(off);
      }
    });

    var consents = document.getElementById('consents');
    consents.replaceChildren();
    c.consent.history.forEach(function (k) {
      var item = el('li', 'list-group-item');
      var who = '学生本人' + (k.guardian ? '及监护人 ' + k.guardian.name + (k.guardian.relation ? '（' + k.guardian.relation + '）' : '') : '');
      item.append(el('div', '', k.channelsZh.join('、') + ' — ' + who + '同意'));
      item.append(el('div', 'small text-muted', '记录人 ' + k.recordedBy + ' · ' + window.hsbDateTime(k.recordedAt) + (k.evidence ? ' · 已上传签字同意书' : '') + (k.note ? ' · ' + k.note : '')));
      if (k.withdrawn) item.append(el('div', 'small text-danger', '已撤回：' + k.withdrawn.reason + '（' + k.withdrawn.by + ' · ' + window.hsbDateTime(k.withdrawn.at) + '）'));
      consents.append(item);
    });
    if (!c.consent.history.length) consents.append(el('li', 'list-group-item text-muted', '尚未记录同意：仅限内部使用'));
    document.getElementById('withdraw-form').classList.toggle('d-none', c.consent.channels.length === 0);
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

  function load() {
    return window.hsbApi('GET', base).then(function (r) {
      if (!r.ok) throw new Error(problem(r));
      etag = r.etag;
      render(r.body);
    });
  }

  document.getElementById('story').addEventListener('submit', function (event) {
    event.preventDefault();
    var body = {};
    ['title', 'before', 'after', 'afterGraduation'].forEach(function (key) { body[key] = document.getElementById('f-' + key).value; });
    window.hsbApi('PATCH', base, body, { 'If-Match': etag }).then(function (r) { answer(r, '已保存 Saved'); });
  });

  function uploadEvidence() {
    var input = document.getElementById('c-evidence');
    if (!input.files || !input.files.length) return Promise.resolve(null);
    var form = new FormData();
    form.append('file', input.files[0]);
    return fetch('/api/files', { method: 'POST', body: form, headers: { Accept: 'application/json' } }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.messageZh || 'upload failed');
        return body.id;
      });
    });
  }

  document.getElementById('consent-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var channels = CHANNELS.map(function (ch) { return ch[0]; }).filter(function (ch) { return document.getElementById('c-' + ch).checked; });
    if (!document.getElementById('c-student').checked) {
      window.hsbShowMessage('danger', '须先取得学生本人的同意 / the student must consent');
      return;
    }
    var guardian = document.getElementById('c-guardian').value.trim();
    uploadEvidence().then(function (evidence) {
      var body = { channels: channels, student: true, familyAppears: document.getElementById('c-family').checked, note: document.getElementById('c-note').value };
      if (guardian) body.guardian = { name: guardian, relation: document.getElementById('c-relation').value };
      if (evidence) body.evidence = evidence;
      return window.hsbApi('POST', base + '/consents', body, { 'If-Match': etag });
    }).then(function (r) {
      answer(r, '已记录同意 Consent recorded');
    }).catch(function (error) {
      window.hsbShowMessage('danger', window.hsbProblemText(error));
    });
  });

  document.getElementById('withdraw-form').addEventListener('submit', function (event) {
    event.preventDefault();
    window.hsbApi('POST', base + '/consents/withdraw', { reason: document.getElementById('w-reason').value }, { 'If-Match': etag }).then(function (r) { answer(r, '已撤回同意 Consent withdrawn'); });
  });

  window.hsbSession.then(load).catch(function (error) {
    window.hsbShowMessage('danger', '加载失败：' + window.hsbProblemText(error));
  });
})();
