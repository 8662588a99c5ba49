/* The parent's letter page (B6): plain script, no libraries. The link token is the only key; a form sent
   again on a weak connection carries the same submission id, so the school gets it once. */
(function () {
  'use strict';
  var token = decodeURIComponent(location.pathname.replace(/^\/l\//, '').split('/')[0] || '');
  var api = '/api/parent-letters/' + encodeURIComponent(token);
  var $ = function (id) { return document.getElementById(id); };
  var storeKey = 'letter-submission:' + token.split('.')[0];
  var state = { body: null, sending: false };

  function show(id, on) { $(id).hidden = !on; }
  function when(at) {
    try {
      return new Date(at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    } catch (e) { return String(at); }
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }
  function remember(value) { try { if (value) sessionStorage.setItem(storeKey, value); else sessionStorage.removeItem(storeKey); } catch (e) { /* private mode */ } }
  function remembered() { try { return sessionStorage.getItem(storeKey); } catch (e) { return null; } }

  /* One request; a lost connection, a time-out or a 5xx is tried again (3 times in all) with the same body. */
  function call(method, path, body) {
    var attempt = 0;
    function once() {
      attempt += 1;
      var controller = window.AbortController ? new AbortController() : null;
      var timer = controller ? setTimeout(function () { controller.abort(); }, 25000) : null;
      return fetch(api + path, {
        method: method,
        headers: body ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
        credentials: 'omit',
        cache: 'no-store',
        signal: controller ? controller.signal : undefined,
      }).then(function (response) {
        if (timer) clearTimeout(timer);
        if (response.status >= 500 && attempt < 3) return wait(attempt).then(once);
        return response.json().catch(function () { return {}; }).then(function (json) { return { status: response.status, body: json }; });
      }, function () {
        if (timer) clearTimeout(timer);
        if (attempt < 3) return wait(attempt).then(once);
        return { status: 0, body: {} };
      });
    }
    return once();
  }
  function wait(attempt) { return new Promise(function (resolve) { setTimeout(resolve, 1000 * attempt * attempt); }); }

  function problemText(result) {
    if (result.status === 0) return '网络连接不稳定，请稍后再试（您填写的内容仍保留）。';
    if (result.status === 429) return '操作过于频繁，请一分钟后再试。';
    var details = (result.body.details || []).map(function (d) { return d.message; }).filter(Boolean);
    return details.length ? details.join('；') : result.body.messageZh || '提交没有成功，请稍后再试。';
  }

  function render(body) {
    state.body = body;
    document.title = body.title;
    $('title').textContent = body.title;
    $('term').textContent = body.termLabel || '';
    $('greeting').textContent = '尊敬的' + body.greeting + '同学家长：';
    $('letter-body').innerHTML = body.html; // cleaned by the service: no scripts, no handlers, only this site's pictures
    show('letter', true);

    var topic = $('topic');
    if (!topic.options.length) {
      body.topics.forEach(function (t) { var option = el('option', '', t.label); option.value = t.value; topic.appendChild(option); });
    }
    $('due').textContent = '请于 ' + when(body.feedbackDueAt) + ' 前提交，学校会逐条回复并告诉您落实情况。';
    show('feedback', body.canAnswer);
    show('closed', !body.canAnswer);
    $('closed').textContent = '本信件的反馈已截止或已达到提交次数上限，感谢您的关心与支持。';
    show('answer', true);

    /* A form whose answer was lost but which the school has: its id is done with, the next form gets a new one. */
    var pending = remembered();
    if (pending && body.feedbacks.some(function (f) { return f.id.indexOf(':' + pending + ':') > 0; })) remember(null);

    var list = $('feedbacks');
    list.textContent = '';
    body.feedbacks.forEach(function (f) { list.appendChild(feedbackItem(f)); });
    show('mine', body.feedbacks.length > 0);
    $('main').setAttribute('aria-busy', 'false');
    show('status', false);
    document.body.setAttribute('data-ready', 'true');
  }

  function feedbackItem(f) {
    var li = el('li');
    li.setAttribute('data-ticket', f.id);
    var head = el('div', 'head');
    head.appendChild(el('strong', '', f.topicLabel));
    head.appendChild(el('span', 'tag state-' + f.state, f.stateLabel));
    head.appendChild(el('span', 'muted small', when(f.receivedAt)));
    li.appendChild(head);
    li.appendChild(el('p', 'text', f.text));
    f.responses.forEach(function (r) { li.appendChild(reply('学校回复', r)); });
    f.followThrough.forEach(function (r) { li.appendChild(reply('落实情况', r)); });
    if (f.canReopen) li.appendChild(reopenControl(f));
    return li;
  }
  function reply(title, r) {
    var box = el('div', 'reply');
    box.appendChild(el('h3', '', title + ' · ' + when(r.at)));
    box.appendChild(el('p', '', r.text));
    return box;
  }

  function reopenControl(f) {
    var wrap = el('div', 'reopen');
    var button = el('button', 'secondary', '回复没有解决我的问题');
    button.type = 'button';
    var form = el('form');
    form.hidden = true;
    var id = 'reason-' + f.id.replace(/[^A-Za-z0-9-]/g, '-');
    var label = el('label', '', '请说明还有哪些问题没有解决（可不填）');
    label.htmlFor = id;
    var reason = el('textarea');
    reason.id = id;
    reason.rows = 3;
    reason.maxLength = 1000;
    var error = el('p', 'error');
    error.hidden = true;
    error.setAttribute('role', 'alert');
    var confirm = el('button', '', '确认重新提出');
    confirm.type = 'submit';
    form.appendChild(label);
    form.appendChild(reason);
    form.appendChild(error);
    form.appendChild(confirm);
    button.addEventListener('click', function () { form.hidden = false; button.hidden = true; reason.focus(); });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      confirm.disabled = true;
      call('POST', '/tickets/' + encodeURIComponent(f.id) + '/reopen', { reason: reason.value }).then(function (result) {
        confirm.disabled = false;
        if (result.status === 200) return render(result.body);
        error.textContent = problemText(result);
        error.hidden = false;
      });
    });
    wrap.appendChild(button);
    wrap.appendChild(form);
    return wrap;
  }

  $('text').addEventListener('input', function () { $('count').textContent = String($('text').value.length); });
  $('contact-wanted').addEventListener('change', function () { show('contact', $('contact-wanted').checked); });

  $('feedback').addEventListener('submit', function (event) {
    event.preventDefault();
    if (state.sending) return;
    var text = $('text').value.trim();
    if (!text) {
      $('form-error').textContent = '请填写反馈内容。';
      show('form-error', true);
      $('text').focus();
      return;
    }
    /* Made once for this filled form and kept until the school has it: every retry sends the same id. */
    var submissionId = remembered() || newId();
    remember(submissionId);
    var payload = { submissionId: submissionId, items: [{ topic: $('topic').value, text: text }] };
    if ($('contact-wanted').checked) {
      payload.contactWish = { wanted: true };
      if ($('phone').value.trim()) payload.contactWish.phone = $('phone').value.trim();
      if ($('when').value.trim()) payload.contactWish.when = $('when').value.trim();
    }
    state.sending = true;
    $('send').disabled = true;
    $('send').textContent = '正在提交…';
    show('form-error', false);
    call('POST', '/feedback', payload).then(function (result) {
      state.sending = false;
      $('send').disabled = false;
      $('send').textContent = '提交反馈';
      if (result.status === 201) {
        remember(null);
        $('feedback').reset();
        $('count').textContent = '0';
        show('contact', false);
        render(result.body);
        $('sent').textContent = '已收到您的反馈，谢谢！学校会在规定时间内回复。';
        show('sent', true);
        $('mine').scrollIntoView({ behavior: 'smooth', block: 'start' });
        return;
      }
      /* A refused form (not a lost one) is changed before it is sent again: a new id then. */
      if (result.status >= 400 && result.status < 500 && result.status !== 429) remember(null);
      $('form-error').textContent = problemText(result);
      show('form-error', true);
    });
  });

  function load() {
    call('GET', '').then(function (result) {
      if (result.status === 200) return render(result.body);
      $('main').setAttribute('aria-busy', 'false');
      $('status').textContent = result.status === 404
        ? '链接无效或已失效，无法打开信件。如有需要，请联系孩子的辅导员。'
        : problemText(result);
      $('status').className = 'error';
      document.body.setAttribute('data-ready', 'error');
    });
  }
  load();
})();
