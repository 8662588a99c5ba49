// A parent's feedback on the term letter (B6): what they wrote, the answers they see, what was done, and
// closing once both exist (GET /api/feedback-tickets/:id, …/response, …/follow-through, …/close).
(function () {
  var id = decodeURIComponent(window.location.pathname.split('/')[3] || '');
  var base = '/api/feedback-tickets/' + encodeURIComponent(id);
  var el = window.hsbEl;
  var etag = null;
  var BADGE = { open: 'text-bg-warning', responded: 'text-bg-info', closed: 'text-bg-success' };

  function problem(r) {
    var details = (r.body && r.body.details || []).map(function (d) { return d.message; }).join('；');
    return ((r.body && r.body.messageZh) || ('HTTP ' + r.status)) + (details ? '：' + details : '');
  }

  function acts(list, target, empty) {
    target.replaceChildren();
    list.forEach(function (a) {
      var item = el('li', 'list-group-item');
      item.append(el('div', '', a.text));
      item.append(el('div', 'small text-muted', a.byName + ' · ' + window.hsbDateTime(a.at)));
      target.append(item);
    });
    if (!list.length) target.append(el('li', 'list-group-item text-muted', empty));
  }

  function render(t) {
    document.getElementById('title').textContent = '家长反馈：' + t.topicLabel;
    document.title = '家长反馈：' + t.topicLabel + ' · 家校心桥';
    var badge = document.getElementById('state-badge');
    badge.className = 'badge fs-6 ' + (t.overdue ? 'text-bg-danger' : (BADGE[t.state] || 'text-bg-secondary'));
    badge.textContent = t.stateLabel + (t.overdue ? '（已逾期）' : '');
    document.getElementById('subtitle').textContent = [t.greeting, t.college.name, '负责人 ' + t.owner.name, '收到于 ' + window.hsbDateTime(t.receivedAt), '回应期限 ' + window.hsbDateTime(t.dueAt)].filter(Boolean).join(' · ');
    document.getElementById('parent-text').textContent = t.text;
    var wish = document.getElementById('contact-wish');
    wish.replaceChildren();
    if (t.contactWish.wanted) {
      wish.append(el('strong', '', '家长希望联系'));
      wish.append(document.createTextNode(' ' + [t.contactWish.phone ? '电话 ' + t.contactWish.phone : '', t.contactWish.when ? '方便时间：' + t.contactWish.when : ''].filter(Boolean).join(' · ')));
      if (t.student) {
        var log = el('a', 'ms-2', '记录家校沟通');
        log.href = '/students/' + encodeURIComponent(t.student) + '#contacts';
        wish.append(log);
      }
    }
    var reopenings = document.getElementById('reopenings');
    reopenings.replaceChildren();
    t.reopenings.forEach(function (r) { reopenings.append(el('li', '', '家长重新打开（' + window.hsbDateTime(r.at) + '）' + (r.reason ? '：' + r.reason : ''))); });
    acts(t.responses, document.getElementById('responses'), '尚未回复');
    acts(t.followThrough, document.getElementById('follow-through'), '尚未记录落实');
    var closed = t.state === 'closed';
    document.getElementById('response-form').classList.toggle('d-none', closed || !t.canAct);
    document.getElementById('follow-form').classList.toggle('d-none', closed);
    var close = document.getElementById('close');
    close.classList.toggle('d-none', closed || !t.canAct);
    document.getElementById('close-hint').textContent = closed ? '已办结（' + window.hsbDateTime(t.closedAt) + '）' : '有回应、有落实后才能办结；家长重新打开后需再次回复并记录落实。';
  }

  function answer(r, done) {
    if (!r.ok) {
      window.hsbShowMessage('danger', problem(r));
      if (r.status === 412) load();
      return false;
    }
    etag = r.etag;
    render(r.body);
    window.hsbShowMessage('success', done);
    return true;
  }

  function load() {
    return window.hsbApi('GET', base).then(function (r) {
      if (!r.ok) throw new Error(problem(r));
      etag = r.etag;
      render(r.body);
      document.body.dataset.ready = 'true';
    });
  }

  function post(path, body, done, field) {
    return window.hsbApi('POST', base + path, body, etag ? { 'If-Match': etag } : {}).then(function (r) {
      if (answer(r, done) && field) document.getElementById(field).value = '';
    });
  }

  document.getElementById('response-form').addEventListener('submit', function (event) {
    event.preventDefault();
    post('/response', { text: document.getElementById('response-text').value }, '已回复家长 Responded', 'response-text');
  });
  document.getElementById('follow-form').addEventListener('submit', function (event) {
    event.preventDefault();
    post('/follow-through', { text: document.getElementById('follow-text').value }, '已记录落实 Recorded', 'follow-text');
  });
  document.getElementById('close').addEventListener('click', function () {
    post('/close', undefined, '已办结 Closed');
  });

  window.hsbSession.then(load).catch(function (error) {
    window.hsbShowMessage('danger', '加载失败：' + window.hsbProblemText(error));
  });
})();
