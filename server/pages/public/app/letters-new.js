// B6 §1: writing a term letter — title, term, the rich text (cleaned by the service on save), audience,
// channels and dates — saved as a draft (POST, then PATCH with If-Match), then the audience it reaches now
// and the letter as a family reads it. /letters/new?id=<draft> goes on with a saved draft.
(function () {
  var el = window.hsbEl;
  var form = document.getElementById('letter-form');
  var editor = document.getElementById('f-html');
  var saved = null; // { id, revision }
  function f(name) { return document.getElementById('f-' + name); }

  // Asia/Shanghai has no daylight saving: a wall-clock time there is UTC+8.
  function toInput(iso) {
    if (!iso) return '';
    return new Date(new Date(iso).getTime() + 8 * 3600000).toISOString().slice(0, 16);
  }
  function fromInput(value) {
    return value ? value.replace('T', ' ') : undefined;
  }
  function checked(name) {
    return Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]:checked')).map(function (i) { return i.value; });
  }
  function checkbox(container, name, value, label, id) {
    var box = el('div', 'form-check');
    var input = el('input', 'form-check-input');
    input.type = 'checkbox';
    input.name = name;
    input.value = value;
    input.id = id;
    var text = el('label', 'form-check-label', label);
    text.htmlFor = id;
    box.append(input, text);
    container.append(box);
  }
  function setChecked(name, values) {
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (i) { i.checked = values.indexOf(i.value) !== -1; });
  }

  document.querySelectorAll('[data-command]').forEach(function (button) {
    button.addEventListener('click', function () {
      editor.focus();
      document.execCommand(button.dataset.command, false, button.dataset.value || null);
    });
  });

  function body() {
    var b = {
      title: f('title').value.trim(),
      term: f('term').value,
      html: editor.innerHTML,
      audience: { colleges: checked('colleges'), grades: checked('grades') },
      channels: checked('channels'),
      feedbackDueAt: fromInput(f('feedbackDueAt').value),
    };
    if (f('sendAt').value) b.sendAt = fromInput(f('sendAt').value);
    if (f('responseDays').value) b.responseDays = Number(f('responseDays').value);
    if (f('reminderAfterDays').value) b.reminderAfterDays = Number(f('reminderAfterDays').value);
    if (!saved && f('template').value) b.template = f('template').value;
    return b;
  }

  function showProblems(response) {
    var list = document.getElementById('problems');
    var details = (response.body && response.body.details) || [];
    list.replaceChildren.apply(list, details.map(function (d) { return el('li', '', d.message + (d.path ? '（' + d.path + '）' : '')); }));
    window.hsbShowMessage('danger', '未能保存：' + ((response.body && response.body.messageZh) || 'HTTP ' + response.status));
  }

  function fill(c) {
    f('title').value = c.title;
    f('term').value = c.term;
    editor.innerHTML = c.html;
    setChecked('colleges', c.audience.colleges);
    setChecked('grades', c.audience.grades);
    setChecked('channels', c.channels);
    f('sendAt').value = toInput(c.sendAt);
    f('feedbackDueAt').value = toInput(c.feedbackDueAt);
    f('responseDays').value = c.responseDays;
    f('reminderAfterDays').value = c.reminderAfterDays;
  }

  function afterSave(c) {
    saved = { id: c.id, revision: c.revision };
    if (!f('responseDays').value) f('responseDays').value = c.responseDays;
    if (!f('reminderAfterDays').value) f('reminderAfterDays').value = c.reminderAfterDays;
    document.getElementById('f-template').disabled = true;
    history.replaceState(null, '', '/letters/new?id=' + encodeURIComponent(c.id));
    var go = document.getElementById('to-campaign');
    go.href = '/letters/' + encodeURIComponent(c.id);
    go.classList.remove('d-none');
    var base = '/api/letter-campaigns/' + encodeURIComponent(c.id);
    return Promise.all([window.hsbGet(base + '/audience'), window.hsbGet(base + '/preview')]).then(function (both) {
      var a = both[0];
      var p = both[1];
      var rows = [['学生', a.students + ' 人', 'students'], ['家庭（信件）', a.families + ' 户', 'families'], ['短信', a.byChannel.sms + ' 封', 'sms'], ['电子邮件', a.byChannel.email + ' 封', 'email'], ['纸质信', a.byChannel.print + ' 封', 'print'], ['需辅导员电话联系', a.personalCalls + ' 户', 'personalCalls']];
      var dl = document.getElementById('audience');
      dl.replaceChildren();
      rows.forEach(function (r) {
        var dd = el('dd', 'col-5 mb-1', r[1]);
        dd.dataset.figure = r[2];
        dl.append(el('dt', 'col-7 fw-normal text-muted', r[0]), dd);
      });
      a.colleges.forEach(function (c2) { dl.append(el('dt', 'col-7 fw-normal text-muted', c2.name || c2.code), el('dd', 'col-5 mb-1', c2.families + ' 户 · ' + c2.students + ' 人')); });
      var article = document.getElementById('preview');
      var heading = el('h3', 'h5', p.title);
      var greeting = el('p', '', '尊敬的' + p.greeting + '同学家长：');
      var text = el('div');
      text.innerHTML = p.html; // cleaned by the service when it was saved
      article.replaceChildren(heading, greeting, text, el('p', 'small text-muted mb-0', '反馈截止：' + p.feedbackDueText + '（北京时间）'));
      document.getElementById('after-save').classList.remove('d-none');
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    document.getElementById('problems').replaceChildren();
    var button = document.getElementById('save');
    button.disabled = true;
    var request = saved
      ? window.hsbApi('PATCH', '/api/letter-campaigns/' + encodeURIComponent(saved.id), body(), { 'If-Match': '"' + saved.revision + '"' })
      : window.hsbApi('POST', '/api/letter-campaigns', body());
    request.then(function (r) {
      if (!r.ok) return showProblems(r);
      window.hsbShowMessage('success', '草稿已保存（第 ' + r.body.revision + ' 版）。');
      return afterSave(r.body);
    }).catch(function (error) {
      window.hsbShowMessage('danger', '未能保存：' + window.hsbProblemText(error));
    }).finally(function () { button.disabled = false; });
  });

  document.getElementById('f-template').addEventListener('change', function (event) {
    if (!event.target.value) return;
    window.hsbGet('/api/letter-campaigns/' + encodeURIComponent(event.target.value)).then(function (c) {
      editor.innerHTML = c.html;
      setChecked('channels', c.channels);
      if (!f('title').value) f('title').value = c.title;
    });
  });

  window.hsbSession.then(function (me) {
    if (!window.hsbCan(me, 'letters:manage')) {
      form.classList.add('d-none');
      window.hsbShowMessage('warning', '只有学工部可以撰写致家长的一封信。');
      return null;
    }
    return Promise.all([window.hsbGet('/api/letter-audience-options'), window.hsbGet('/api/letter-campaigns?limit=100')]).then(function (both) {
      var options = both[0];
      var colleges = document.getElementById('f-colleges');
      options.colleges.forEach(function (c) { checkbox(colleges, 'colleges', c.id, (c.name || c.code) + '（' + c.students + ' 人）', 'f-college-' + c.id); });
      var grades = document.getElementById('f-grades');
      options.grades.forEach(function (g) { checkbox(grades, 'grades', g, g + ' 级', 'f-grade-' + g); });
      var template = document.getElementById('f-template');
      both[1].items.filter(function (c) { return c.state !== 'draft'; }).forEach(function (c) {
        var option = el('option', '', c.title + '（' + c.academicYear + ' ' + c.termZh + '）');
        option.value = c.id;
        template.append(option);
      });
      var id = new URLSearchParams(window.location.search).get('id');
      if (!id) {
        f('feedbackDueAt').value = toInput(new Date(Date.now() + 21 * 86400000).toISOString()).slice(0, 11) + '18:00';
        document.body.dataset.ready = 'true';
        return null;
      }
      return window.hsbGet('/api/letter-campaigns/' + encodeURIComponent(id)).then(function (c) {
        document.getElementById('title').firstChild.textContent = '修改信件 ';
        document.getElementById('crumb').textContent = c.title;
        fill(c);
        if (c.state !== 'draft' && c.state !== 'scheduled') {
          window.hsbShowMessage('info', '这封信' + c.stateZh + '，不能再修改。');
          document.getElementById('save').disabled = true;
        }
        return afterSave(c);
      }).then(function () { document.body.dataset.ready = 'true'; });
    });
  }).catch(function (error) {
    window.hsbShowMessage('danger', '加载失败：' + window.hsbProblemText(error));
  });
})();
