// One student's page: the archive (sensitive part closed until shown on purpose, audited, with a reason
// where the policy asks for one), guardians, history and the year-to-year difference, contacts with the
// family (and logging one), key-communication cases, awards with their 喜报, and the places where visits,
// term letters and mentoring will appear.
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var el = window.hsbEl;
  var L = window.hsbStudentLabels;
  var label = window.hsbStudentLabel;
  var studentRef = decodeURIComponent(window.location.pathname.split('/')[2] || '');
  var api = '/api/students/' + encodeURIComponent(studentRef);
  var me = null;
  var student = null;

  function field(dl, name, value) {
    var dt = el('dt', 'col-5 col-sm-4 fw-normal', name);
    var dd = el('dd', 'col-7 col-sm-8 mb-1');
    if (value instanceof Node) dd.append(value);
    else dd.textContent = value === null || value === undefined || value === '' ? '—' : String(value);
    dl.append(dt, dd);
  }

  function empty(text) {
    return el('p', 'small mb-0 slot-note', text);
  }

  function failed(container, what, error) {
    var list = container.tagName === 'UL' || container.tagName === 'OL';
    container.replaceChildren(el(list ? 'li' : 'p', 'small text-danger mb-0', what + '加载失败：' + window.hsbProblemText(error)));
  }

  /** A value of the archive as people read it (history and year-to-year difference). */
  function shown(name, value) {
    if (value === null || value === undefined || value === '') return '—';
    if (name === 'careTier') return label('careTier', value);
    if (name === 'gender') return label('gender', value);
    if (name === 'specialCategories' && Array.isArray(value)) return value.map(function (c) { return label('category', c); }).join('、') || '—';
    if (name === 'guardians' && Array.isArray(value)) {
      return value.map(function (g) { return g.name + '（' + g.relation + '）' + g.phone; }).join('；') || '—';
    }
    if (name === 'counselor' && student && value === student.counselor && student.counselorName) return student.counselorName;
    if (name === 'college' && student && value === student.college && student.collegeName) return student.collegeName;
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  }

  // ---------------------------------------------------------------- archive

  function renderArchive(s) {
    document.title = s.name + ' · 学生档案 · 家校心桥';
    $('title').textContent = s.name;
    $('crumb').textContent = s.name;
    $('subtitle').textContent = [s.studentNo, s.collegeName, s.grade + ' 级 ' + s.major, s.className].filter(Boolean).join(' · ');
    var tier = $('tier-badge');
    tier.className = 'badge ' + (L.careTierClass[s.careTier] || 'text-bg-secondary');
    tier.textContent = label('careTier', s.careTier) + '（' + (L.careTierNote[s.careTier] || '') + '）';
    $('stale-badge').classList.toggle('d-none', !s.stale);

    var dl = $('archive-fields');
    dl.replaceChildren();
    field(dl, '学号', s.studentNo);
    field(dl, '性别', label('gender', s.gender));
    field(dl, '出生日期', s.birthDate + (s.age !== null && s.age !== undefined ? '（' + s.age + ' 岁）' : ''));
    field(dl, '院系', s.collegeName);
    field(dl, '专业 / 年级', s.major + ' / ' + s.grade + ' 级');
    field(dl, '班级', s.className);
    field(dl, '辅导员', s.counselorName || (s.counselor ? '（已停用账号）' : '未指定'));
    field(dl, '家庭住址', s.homeAddress);
    field(dl, '关注等级', label('careTier', s.careTier) + '（' + (L.careTierNote[s.careTier] || '') + '）');
    field(dl, '特殊类别', s.specialCategories.map(function (c) { return label('category', c); }).join('、') || '无');
    field(dl, '帮扶计划', s.supportPlan);
    field(dl, '最近一次家校联系', s.lastContactAt ? window.hsbDateTime(s.lastContactAt) : '尚无记录');

    $('confirmed-note').textContent = s.stale
      ? '本学年尚未确认档案' + (s.lastConfirmedYear ? '（上次确认：' + s.lastConfirmedYear + ' 学年）' : '') + '。'
      : '本学年已确认（' + window.hsbDateTime(s.lastConfirmedAt) + '）。';
    $('confirm').classList.toggle('d-none', !(s.stale && window.hsbCan(me, 'students:write')));

    var assistance = $('assistance');
    assistance.replaceChildren();
    if (s.assistanceRecords.length || s.specialCategories.length) {
      var wrap = el('div', 'table-responsive');
      var table = el('table', 'table table-sm mb-0');
      var caption = el('caption', 'caption-top fw-semibold text-body', '帮扶记录');
      var head = el('thead');
      var hr = el('tr');
      ['日期', '帮扶方式', '情况说明'].forEach(function (h) {
        var th = el('th', null, h);
        th.scope = 'col';
        hr.append(th);
      });
      head.append(hr);
      var body = el('tbody');
      s.assistanceRecords.forEach(function (r) {
        var tr = el('tr');
        tr.append(el('td', 'text-nowrap', window.hsbDate(r.date)), el('td', null, r.kind), el('td', null, r.description));
        body.append(tr);
      });
      if (!s.assistanceRecords.length) {
        var none = el('tr');
        var cell = el('td', null, '暂无帮扶记录');
        cell.colSpan = 3;
        none.append(cell);
        body.append(none);
      }
      table.append(caption, head, body);
      wrap.append(table);
      assistance.append(wrap);
    }
    renderSensitive(s.sensitiveAccess);
    renderGuardians(s);
  }

  function loadArchive() {
    return window.hsbApi('GET', api + '?sensitive=omit').then(function (r) {
      if (!r.ok) throw Object.assign(new Error('HTTP ' + r.status), r.body || {}, { status: r.status });
      student = r.body;
      renderArchive(student);
      return student;
    });
  }

  $('confirm').addEventListener('click', function () {
    var button = $('confirm');
    button.disabled = true;
    window.hsbApi('POST', api + '/confirm').then(function (r) {
      if (!r.ok) throw r.body;
      window.hsbShowMessage('success', '已确认本学年档案无误。');
      return Promise.all([loadArchive(), loadHistory()]);
    }).catch(function (error) {
      window.hsbShowMessage('danger', '确认失败：' + window.hsbProblemText(error));
    }).finally(function () { button.disabled = false; });
  });

  // ---------------------------------------------------------------- sensitive part (break-glass)

  function renderSensitive(access) {
    var names = access.fields.map(function (f) { return label('field', f); });
    $('sensitive-held').textContent = names.length
      ? '档案中记有：' + names.join('、') + '。已加密保存，打开页面时不显示。'
      : '档案中没有记录病史、心理状况或家庭经济情况。';
    var refusal = $('sensitive-refusal');
    refusal.classList.toggle('d-none', access.mayShow);
    if (!access.mayShow && access.refusal) {
      $('sensitive-refusal-zh').textContent = access.refusal.messageZh;
      $('sensitive-refusal-en').textContent = access.refusal.messageEn;
    }
    var open = !$('sensitive-open').classList.contains('d-none');
    $('sensitive-form').classList.toggle('d-none', !access.mayShow || access.fields.length === 0 || open);
    $('sensitive-reason-group').classList.toggle('d-none', !access.reasonRequired);
    $('sensitive-reason-help').textContent = '您不是该生的辅导员，查看须说明原因（至少 ' + access.reasonMinLength + ' 个字）：查看哪一项、为什么。原因将与本次查看一并记入审计日志。';
  }

  function clearReasonError() {
    var input = $('sensitive-reason');
    input.classList.remove('is-invalid');
    input.removeAttribute('aria-invalid');
    $('sensitive-reason-error').textContent = '';
  }

  $('sensitive-form').addEventListener('submit', function (event) {
    event.preventDefault();
    clearReasonError();
    var access = student.sensitiveAccess;
    var reason = $('sensitive-reason').value.trim();
    var button = $('sensitive-show');
    button.disabled = true;
    window.hsbApi('POST', api + '/sensitive-reads', reason ? { reason: reason } : {}).then(function (r) {
      if (r.ok) {
        var dl = $('sensitive-values');
        dl.replaceChildren();
        r.body.fields.forEach(function (f) { field(dl, label('field', f), r.body.values[f]); });
        $('sensitive-audited').textContent = '已于 ' + window.hsbDateTime(new Date()) + ' 显示，并记入审计日志' + (r.body.reason ? '（原因：' + r.body.reason + '）' : '') + '。';
        $('sensitive-form').classList.add('d-none');
        $('sensitive-open').classList.remove('d-none');
        $('sensitive-hide').focus();
        return;
      }
      var body = r.body || {};
      var detail = (body.details || []).filter(function (d) { return d.path === 'reason'; })[0];
      if (r.status === 400 && detail && access.reasonRequired) {
        var input = $('sensitive-reason');
        input.classList.add('is-invalid');
        input.setAttribute('aria-invalid', 'true');
        var error = $('sensitive-reason-error');
        error.replaceChildren(el('span', null, detail.message), el('span', 'd-block', detail.messageEn));
        error.lastChild.lang = 'en';
        input.focus();
      } else if (r.status === 403) {
        student.sensitiveAccess = Object.assign({}, access, { mayShow: false, refusal: { messageZh: body.messageZh, messageEn: body.messageEn } });
        renderSensitive(student.sensitiveAccess);
      } else {
        window.hsbShowMessage('danger', '显示失败：' + window.hsbProblemText(body));
      }
    }).finally(function () { button.disabled = false; });
  });

  $('sensitive-hide').addEventListener('click', function () {
    $('sensitive-values').replaceChildren();
    $('sensitive-audited').textContent = '';
    $('sensitive-open').classList.add('d-none');
    $('sensitive-reason').value = '';
    renderSensitive(student.sensitiveAccess);
    $('sensitive-show').focus();
  });

  // ---------------------------------------------------------------- guardians

  function renderGuardians(s) {
    var body = $('guardians-body');
    body.replaceChildren();
    var names = $('guardian-names');
    names.replaceChildren();
    if (!s.guardians.length) {
      body.append(empty('档案中没有监护人信息。'));
      return;
    }
    var list = el('ul', 'list-group list-group-flush');
    s.guardians.forEach(function (g) {
      var item = el('li', 'list-group-item px-0 d-flex flex-wrap gap-2 align-items-baseline');
      var phone = el('a', 'ms-auto', g.phone);
      phone.href = 'tel:' + g.phone;
      phone.setAttribute('aria-label', '拨打 ' + g.name + ' 的电话 ' + g.phone);
      item.append(el('span', 'fw-semibold', g.name), el('span', 'badge text-bg-light border', g.relation), phone);
      list.append(item);
      var option = el('option');
      option.value = g.name;
      option.label = g.relation;
      names.append(option);
    });
    body.append(list);
  }

  // ---------------------------------------------------------------- history and year-to-year difference

  function loadHistory() {
    return window.hsbGet(api + '/history').then(function (revisions) {
      var list = $('history-list');
      list.replaceChildren();
      if (!revisions.length) list.append(el('li', 'slot-note', '暂无变更记录。'));
      revisions.forEach(function (r) {
        var item = el('li', 'border-start border-3 ps-2 mb-2');
        var source = r.revision === 1 && r.source !== 'confirm' ? (r.source === 'import' ? '名册导入建档' : '建档') : label('source', r.source);
        var head = el('div', 'fw-semibold', '第 ' + r.revision + ' 版 · ' + window.hsbDateTime(r.at) + ' · ' + source);
        var who = el('div', null, (r.by ? '操作人：' + r.by + ' · ' : '') + r.academicYear + ' 学年');
        var what = r.changes.length
          ? r.changes.map(function (c) { return label('field', c.field) + (c.sensitive ? '（内容不显示）' : ''); }).join('、')
          : '确认档案无误，未改动内容';
        item.append(head, who, el('div', null, '变更：' + what));
        if (r.origin) item.append(el('div', null, '来源：' + r.origin.note));
        list.append(item);
      });
    }).catch(function (error) { failed($('history-list'), '变更记录', error); });
  }

  function loadDiff(from, to) {
    var query = '?sensitive=omit' + (from ? '&from=' + encodeURIComponent(from) : '') + (to ? '&to=' + encodeURIComponent(to) : '');
    return window.hsbGet(api + '/diff' + query).then(function (diff) {
      fillYears(diff.from, diff.to);
      var body = $('diff-body');
      body.replaceChildren();
      if (diff.fromRevision === null && diff.toRevision === null) {
        body.append(empty(diff.from + ' 与 ' + diff.to + ' 学年都没有档案版本。'));
        return;
      }
      if (!diff.changes.length) {
        body.append(empty(diff.from + ' 学年末与 ' + diff.to + ' 学年末的档案没有差别。'));
        return;
      }
      if (diff.fromRevision === null) body.append(el('p', 'small mb-1', diff.from + ' 学年末尚无档案（之后建档），下表列出 ' + diff.to + ' 学年末的全部内容。'));
      var wrap = el('div', 'table-responsive');
      var table = el('table', 'table table-sm align-top mb-0');
      var caption = el('caption', 'caption-top small text-body', diff.from + ' 学年末（第 ' + (diff.fromRevision === null ? '—' : diff.fromRevision) + ' 版）与 ' + diff.to + ' 学年末（第 ' + (diff.toRevision === null ? '—' : diff.toRevision) + ' 版）的差别');
      var head = el('thead');
      var hr = el('tr');
      ['项目', diff.from, diff.to].forEach(function (h) {
        var th = el('th', null, h);
        th.scope = 'col';
        hr.append(th);
      });
      head.append(hr);
      var tbody = el('tbody');
      diff.changes.forEach(function (c) {
        var tr = el('tr');
        var th = el('th', 'fw-normal', label('field', c.field));
        th.scope = 'row';
        if (c.sensitive) {
          var cell = el('td', null, '有变更（敏感信息，内容不在此显示）');
          cell.colSpan = 2;
          tr.append(th, cell);
        } else {
          tr.append(th, el('td', null, shown(c.field, c.from)), el('td', null, shown(c.field, c.to)));
        }
        tbody.append(tr);
      });
      table.append(caption, head, tbody);
      wrap.append(table);
      body.append(wrap);
    }).catch(function (error) { failed($('diff-body'), '学年对比', error); });
  }

  /** The academic years from the student's year of entry to the one compared with. */
  function fillYears(from, to) {
    var last = Number(to.slice(0, 4));
    var first = Math.min(Number(from.slice(0, 4)), Number(student.grade) || last - 1);
    if (first < last - 8) first = last - 8;
    [['diff-from', from], ['diff-to', to]].forEach(function (pair) {
      var select = $(pair[0]);
      select.replaceChildren();
      for (var y = last; y >= first; y -= 1) {
        var year = y + '-' + (y + 1);
        var option = el('option', null, year + ' 学年');
        option.value = year;
        option.selected = year === pair[1];
        select.append(option);
      }
    });
  }

  $('diff-form').addEventListener('submit', function (event) {
    event.preventDefault();
    loadDiff($('diff-from').value, $('diff-to').value);
  });

  // ---------------------------------------------------------------- contacts with the family

  function contactItem(c) {
    var item = el('li', 'list-group-item px-0');
    var head = el('div', 'd-flex flex-wrap gap-2 align-items-baseline');
    head.append(el('span', 'fw-semibold', window.hsbDateTime(c.contactedAt)), el('span', 'badge text-bg-info', label('channel', c.channel)), el('span', null, '与 ' + c.guardianName));
    if (c.owner === me.id) head.append(el('span', 'badge text-bg-light border', '我记录的'));
    item.append(head);
    item.append(el('div', 'small', '沟通内容：' + c.topics.map(function (t) { return label('topic', t); }).join('、')));
    item.append(el('p', 'mb-1 contact-summary', c.summary));
    var feedback = el('p', 'mb-1');
    feedback.append(el('span', 'fw-semibold', '家长反馈：'), document.createTextNode(c.parentFeedback));
    item.append(feedback);
    (c.followUps || []).forEach(function (f) {
      item.append(el('div', 'small', '跟进：' + f.action + (f.due ? '（' + window.hsbDate(f.due) + ' 前）' : '')));
    });
    return item;
  }

  function loadContacts() {
    if (me.readScope && me.readScope.contact === 'own') $('contacts-note').textContent = '仅显示您本人记录的沟通。';
    return window.hsbGet('/api/contacts?student=' + encodeURIComponent(student.id) + '&limit=20').then(function (page) {
      var list = $('contacts-list');
      list.replaceChildren();
      if (!page.items.length) list.append(el('li', 'list-group-item px-0 slot-note small', '暂无沟通记录。'));
      page.items.forEach(function (c) { list.append(contactItem(c)); });
      if (page.total > page.items.length) list.append(el('li', 'list-group-item px-0 small', '共 ' + page.total + ' 次沟通，此处显示最近 ' + page.items.length + ' 次。'));
    }).catch(function (error) { failed($('contacts-list'), '沟通记录', error); });
  }

  function localNow() {
    var now = new Date();
    now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
    return now.toISOString().slice(0, 16);
  }

  function setUpContactForm() {
    if (!window.hsbCan(me, 'contacts:write')) return;
    $('contact-log').classList.remove('d-none');
    var channel = $('contact-channel');
    Object.keys(L.channel).forEach(function (value) {
      var option = el('option', null, L.channel[value]);
      option.value = value;
      channel.append(option);
    });
    var topics = $('contact-topics-options');
    Object.keys(L.topic).forEach(function (value) {
      var wrap = el('div', 'form-check form-check-inline');
      var input = el('input', 'form-check-input');
      input.type = 'checkbox';
      input.name = 'topics';
      input.value = value;
      input.id = 'contact-topic-' + value;
      var text = el('label', 'form-check-label', L.topic[value]);
      text.htmlFor = input.id;
      wrap.append(input, text);
      topics.append(wrap);
    });
    resetContactForm();
    $('contact-form').addEventListener('submit', submitContact);
  }

  function resetContactForm() {
    $('contact-form').reset();
    $('contact-guardianName').value = student.guardians.length ? student.guardians[0].name : '';
    $('contact-channel').value = 'phone';
    $('contact-contactedAt').value = localNow();
    $('contact-contactedAt').max = localNow();
  }

  var CONTACT_FIELDS = {
    guardianName: 'contact-guardianName', channel: 'contact-channel', contactedAt: 'contact-contactedAt', topics: 'contact-topics',
    summary: 'contact-summary', parentFeedback: 'contact-parentFeedback', 'followUps[0].action': 'contact-followUp', 'followUps[0].due': 'contact-followUpDue',
  };

  function clearContactErrors() {
    Object.keys(CONTACT_FIELDS).forEach(function (path) {
      var input = $(CONTACT_FIELDS[path]);
      input.classList.remove('is-invalid');
      input.removeAttribute('aria-invalid');
      var error = $(CONTACT_FIELDS[path] + '-error');
      if (error) error.remove();
    });
    $('contact-form-error').classList.add('d-none');
  }

  /** The service's message beside its field, in Chinese with the English below. */
  function showContactErrors(body) {
    var general = [];
    var first = null;
    (body.details || []).forEach(function (d) {
      var id = CONTACT_FIELDS[d.path];
      if (!id) {
        general.push(d.message);
        return;
      }
      var input = $(id);
      input.classList.add('is-invalid');
      input.setAttribute('aria-invalid', 'true');
      var error = $(id + '-error');
      if (!error) {
        error = el('div', 'invalid-feedback d-block');
        error.id = id + '-error';
        (id === 'contact-topics' ? input : input.parentNode).append(error);
        var described = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
        if (described.indexOf(error.id) === -1) input.setAttribute('aria-describedby', described.concat(error.id).join(' '));
      }
      var en = el('span', 'd-block', d.messageEn);
      en.lang = 'en';
      error.replaceChildren(el('span', null, d.message), en);
      first = first || input;
    });
    if (general.length || !(body.details || []).length) {
      var box = $('contact-form-error');
      box.textContent = general.length ? general.join('；') : window.hsbProblemText(body);
      box.classList.remove('d-none');
    }
    if (first) (first.tagName === 'FIELDSET' ? first.querySelector('input') : first).focus();
  }

  function submitContact(event) {
    event.preventDefault();
    clearContactErrors();
    var topics = Array.prototype.slice.call(document.querySelectorAll('#contact-topics input:checked')).map(function (i) { return i.value; });
    var when = $('contact-contactedAt').value;
    var body = {
      student: student.id,
      guardianName: $('contact-guardianName').value,
      channel: $('contact-channel').value,
      topics: topics,
      summary: $('contact-summary').value,
      parentFeedback: $('contact-parentFeedback').value,
      followUps: [],
    };
    if (when) body.contactedAt = new Date(when).toISOString();
    var action = $('contact-followUp').value.trim();
    if (action) body.followUps.push($('contact-followUpDue').value ? { action: action, due: $('contact-followUpDue').value } : { action: action });
    var button = $('contact-submit');
    button.disabled = true;
    window.hsbApi('POST', '/api/contacts', body).then(function (r) {
      if (!r.ok) {
        showContactErrors(r.body || {});
        return;
      }
      var logged = r.body;
      resetContactForm();
      $('contact-log').open = false;
      return Promise.all([loadContacts(), loadArchive()]).then(function () {
        window.hsbShowMessage('success', '已记录与家长的沟通（' + window.hsbDateTime(logged.contactedAt) + '，' + label('channel', logged.channel) + '）。');
      });
    }).finally(function () { button.disabled = false; });
  }

  // ---------------------------------------------------------------- cases

  function loadCases() {
    var body = $('cases-body');
    var own = me.readScope && me.readScope.case === 'own';
    return window.hsbGet('/api/cases?student=' + encodeURIComponent(student.id) + '&limit=50').then(function (page) {
      body.replaceChildren();
      if (own) body.append(el('p', 'small mb-2', '仅显示您上报的重点沟通事项。'));
      if (!page.items.length) {
        body.append(empty('暂无重点沟通事项。'));
        return;
      }
      var list = el('ul', 'list-group list-group-flush');
      page.items.forEach(function (c) {
        var item = el('li', 'list-group-item px-0');
        var head = el('div', 'd-flex flex-wrap gap-2 align-items-baseline');
        head.append(el('span', 'fw-semibold', c.categoryZh));
        head.append(el('span', 'badge ' + (c.status === 'open' ? 'text-bg-warning' : 'text-bg-success'), c.status === 'open' ? '处理中' : '已结案'));
        if (c.overdue) head.append(el('span', 'badge text-bg-danger', '已逾期'));
        if (c.escalatedAt) head.append(el('span', 'badge text-bg-dark', '已上报院系'));
        item.append(head);
        item.append(el('div', 'small', c.status === 'open' ? '应于 ' + window.hsbDateTime(c.deadline) + ' 前与家长沟通并结案' : '结案于 ' + window.hsbDateTime(c.closedAt)));
        c.alerts.forEach(function (a) {
          item.append(el('div', 'small', window.hsbDate(a.at) + (a.department ? '（' + a.department + '）' : '') + '：' + a.description));
        });
        if (c.resolution) item.append(el('div', 'small', '处理结果：' + c.resolution));
        list.append(item);
      });
      body.append(list);
    }).catch(function (error) { failed(body, '重点沟通事项', error); });
  }

  // ---------------------------------------------------------------- awards and good news

  function loadAwards() {
    var body = $('awards-body');
    if (me.readScope && me.readScope.award === 'none') {
      body.replaceChildren(empty('奖惩记录由辅导员和院系管理，您的角色不查看。'));
      return Promise.resolve();
    }
    return window.hsbGet('/api/awards?student=' + encodeURIComponent(student.id) + '&limit=50').then(function (page) {
      body.replaceChildren();
      if (!page.items.length) {
        body.append(empty('暂无奖惩记录。'));
        return;
      }
      var list = el('ul', 'list-group list-group-flush');
      page.items.forEach(function (a) {
        var item = el('li', 'list-group-item px-0');
        var head = el('div', 'd-flex flex-wrap gap-2 align-items-baseline');
        head.append(el('span', 'badge ' + (a.kind === 'award' ? 'text-bg-success' : 'text-bg-danger'), label('awardKind', a.kind)));
        head.append(el('span', 'fw-semibold', a.title));
        item.append(head);
        item.append(el('div', 'small', [window.hsbDate(a.date), label('awardLevel', a.level), label('awardCategory', a.category)].join(' · ')));
        item.append(el('div', 'small', '告知家长：' + (a.notifyStatus === 'closed' ? '已完成' : '待完成')));
        if (a.goodNews) {
          var links = el('div', 'd-flex flex-wrap gap-2 mt-1');
          var view = el('a', 'btn btn-sm btn-outline-danger', '喜报（打印）');
          view.href = '/api/awards/' + encodeURIComponent(a.id) + '/letter';
          view.target = '_blank';
          view.rel = 'noopener';
          var pdf = el('a', 'btn btn-sm btn-outline-secondary', '喜报 PDF');
          pdf.href = '/api/awards/' + encodeURIComponent(a.id) + '/letter.pdf';
          pdf.target = '_blank';
          pdf.rel = 'noopener';
          links.append(view, pdf);
          if (a.deliveries && a.deliveries.length) links.append(el('span', 'small align-self-center', '已送达 ' + a.deliveries.length + ' 次'));
          item.append(links);
        }
        list.append(item);
      });
      body.append(list);
    }).catch(function (error) { failed(body, '奖惩记录', error); });
  }

  // ---------------------------------------------------------------- visits

  function loadVisits() {
    var body = $('visits-planned');
    if (!window.hsbCan(me, 'visits:read')) {
      body.replaceChildren(empty('您的角色不查看家访计划。'));
      return Promise.resolve();
    }
    return window.hsbGet(api + '/planned-visits').then(function (found) {
      body.replaceChildren();
      if (!found.items.length) {
        body.append(empty(found.campaignsSearched ? '最近 ' + found.campaignsSearched + ' 次家访活动的计划中没有安排该生。' : '暂无家访活动。'));
        return;
      }
      var list = el('ul', 'list-group list-group-flush');
      found.items.forEach(function (v) {
        var item = el('li', 'list-group-item px-0');
        var head = el('div', 'd-flex flex-wrap gap-2 align-items-baseline');
        var link = el('a', 'fw-semibold', v.campaign.title);
        link.href = '/visits/' + encodeURIComponent(v.campaign.id) + '/plans/' + encodeURIComponent(v.plan.college);
        head.append(link, el('span', 'badge ' + (v.entry.approval === 'approved' ? 'text-bg-success' : 'text-bg-light border'), v.entry.approval === 'approved' ? '已批准' : '计划' + v.plan.stateZh));
        item.append(head);
        item.append(el('div', 'small', [v.entry.modeZh, v.entry.kindZh, v.entry.targetTypeZh, v.entry.plannedOn ? '计划 ' + v.entry.plannedOn : '日期待定'].join(' · ')));
        if (v.entry.visitors.length) item.append(el('div', 'small', '家访人员：' + v.entry.visitors.map(function (p) { return p.name + '（' + p.roleZh + '）'; }).join('、')));
        list.append(item);
      });
      body.append(list);
    }).catch(function (error) { failed(body, '家访计划', error); });
  }

  /** D8: the student's submitted visits across campaigns and years, newest first. */
  function loadVisitRecords() {
    var body = $('visits-reports');
    return window.hsbGet(api + '/visits').then(function (found) {
      body.replaceChildren();
      if (!found.items.length) {
        body.append(empty('尚无已提交的家访记录。'));
        return;
      }
      var list = el('ol', 'list-unstyled mb-0');
      found.items.forEach(function (v) {
        var item = el('li', 'border-start border-3 ps-2 mb-2');
        item.append(el('div', 'fw-semibold', (v.visitedOn || '日期未填') + ' · ' + (v.campaign.title || '家访活动')));
        var facts = [v.modeZh, v.kindZh];
        if (v.unplanned) facts.push('计划外家访');
        facts.push('第 ' + v.version + ' 版');
        if (v.state === 'returned') facts.push('已退回修改');
        item.append(el('div', null, facts.join(' · ')));
        if (v.visitors.length) item.append(el('div', null, '家访人员：' + v.visitors.map(function (p) { return p.name + '（' + p.roleZh + '）'; }).join('、')));
        if (v.followUp.needed) item.append(el('div', null, '后续跟进：' + v.followUp.needs));
        list.append(item);
      });
      body.append(list);
      if (found.truncated) body.append(empty('仅显示最近 ' + found.items.length + ' 次家访。'));
    }).catch(function (error) { failed(body, '家访记录', error); });
  }

  // ---------------------------------------------------------------- start

  window.hsbSession.then(function (session) {
    me = session;
    return loadArchive().then(function () {
      setUpContactForm();
      return Promise.all([loadHistory(), loadDiff(), loadContacts(), loadCases(), loadAwards(), loadVisits(), loadVisitRecords()]);
    }, function (error) {
      document.querySelector('.student-page > .row').classList.add('d-none');
      document.querySelector('.student-page nav[aria-label="本页目录"]').classList.add('d-none');
      window.hsbShowMessage(error.status === 404 ? 'warning' : 'danger', error.status === 404 ? '未找到该学生，或该生不在您可以查看的范围内。' : '档案加载失败：' + window.hsbProblemText(error));
    });
  }).then(function () {
    document.body.dataset.loaded = 'true';
  });
})();
