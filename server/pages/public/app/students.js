// Finding a student: search by name or number with filters (grade, major, care tier, not yet confirmed this
// academic year), paged by key (`next` → `after=`), each result linking to the student's page. Roles that
// may open one named student but no lists (teachers, mentors: `lookup` in the policy table) get a search by
// exact student number and the reason there is no list.
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var el = window.hsbEl;
  var label = window.hsbStudentLabel;
  var PAGE = 20;
  var me = null;
  var current = null; // the query string of the shown results, without `after`
  var shown = 0;
  /** A college or counselor the address narrows to (a dashboard tile's list); kept until cleared. */
  var narrowed = {};

  function filtersFromUrl() {
    var params = new URLSearchParams(window.location.search);
    $('q').value = params.get('q') || '';
    $('grade').value = params.get('grade') || '';
    $('major').value = params.get('major') || '';
    $('careTier').value = params.get('careTier') || '';
    $('stale').checked = params.get('stale') === 'true';
    ['college', 'counselor'].forEach(function (name) { if (params.get(name)) narrowed[name] = params.get(name); });
    var note = $('narrowed');
    if (note) {
      var parts = [];
      if (narrowed.college) parts.push('学院 ' + narrowed.college);
      if (narrowed.counselor) parts.push('辅导员 ' + narrowed.counselor);
      note.textContent = parts.length ? '仅显示：' + parts.join('，') : '';
      note.classList.toggle('d-none', !parts.length);
    }
    // A counselor starts with the students they look after; the choice is kept in the address.
    $('mine').checked = me.role === 'counselor' && (params.has('mine') ? params.get('mine') === 'true' : !window.location.search);
  }

  function queryFromForm() {
    var params = new URLSearchParams();
    ['q', 'grade', 'major', 'careTier'].forEach(function (name) {
      var value = $(name).value.trim();
      if (value) params.set(name, value);
    });
    if ($('stale').checked) params.set('stale', 'true');
    Object.keys(narrowed).forEach(function (name) { params.set(name, narrowed[name]); });
    if (me.role === 'counselor' && !narrowed.counselor) params.set('mine', $('mine').checked ? 'true' : 'false');
    return params;
  }

  function apiQuery(params, after) {
    var api = new URLSearchParams();
    params.forEach(function (value, name) {
      if (name !== 'mine') api.set(name, value);
    });
    if (params.get('mine') === 'true') api.set('counselor', me.username);
    api.set('limit', String(PAGE));
    if (after) api.set('after', after);
    return '/api/students?' + api.toString();
  }

  function badge(className, text) {
    return el('span', 'badge ' + className, text);
  }

  function resultItem(s) {
    var item = el('li', 'list-group-item p-0');
    var link = el('a', 'd-block px-3 py-2 text-decoration-none text-body student-result');
    link.href = '/students/' + encodeURIComponent(s.id);
    var top = el('div', 'd-flex flex-wrap align-items-baseline gap-2');
    top.append(el('span', 'fw-semibold text-primary-emphasis', s.name), el('span', 'font-monospace small', s.studentNo));
    var badges = el('span', 'd-flex flex-wrap gap-1 ms-sm-auto');
    badges.append(badge(window.hsbStudentLabels.careTierClass[s.careTier] || 'text-bg-secondary', label('careTier', s.careTier)));
    if (s.stale) badges.append(badge('text-bg-light border', '本学年未确认'));
    top.append(badges);
    var detail = el('div', 'small', [s.grade + ' 级', s.major, s.className].filter(Boolean).join(' · '));
    link.append(top, detail);
    item.append(link);
    return item;
  }

  function setBusy(busy) {
    $('results').setAttribute('aria-busy', String(busy));
    $('search-button').disabled = busy;
    $('more').disabled = busy;
  }

  function load(after) {
    setBusy(true);
    if (!after) $('result-status').textContent = '正在查询…';
    return window.hsbGet(apiQuery(current, after)).then(function (page) {
      if (!after) {
        $('results').replaceChildren();
        shown = 0;
      }
      page.items.forEach(function (s) { $('results').append(resultItem(s)); });
      shown += page.items.length;
      $('more').classList.toggle('d-none', !page.next);
      $('more').dataset.after = page.next || '';
      if (shown === 0) $('result-status').textContent = '没有符合条件的学生。';
      else $('result-status').textContent = '已显示 ' + shown + ' 名学生' + (page.next ? '，还有更多' : '') + '（按学号排序）';
    }).catch(function (error) {
      $('result-status').textContent = '';
      window.hsbShowMessage('danger', '查询失败：' + window.hsbProblemText(error));
    }).then(function () { setBusy(false); });
  }

  function search(event) {
    if (event) event.preventDefault();
    current = queryFromForm();
    var text = current.toString();
    window.history.replaceState(null, '', '/students' + (text ? '?' + text : ''));
    load(null);
  }

  function showLookup() {
    $('lookup-section').classList.remove('d-none');
    $('lookup-why-zh').textContent = '按照个人信息保护的最小必要原则，' + me.roleZh + '不能浏览学生名单。如需为某位学生记录家校沟通或上报重点沟通事项，请输入其完整学号，打开本学院该生的档案。';
    $('lookup-why-en').textContent = 'Under the need-to-know rule your role sees no student lists: enter a student’s full number to open that one student of your college (to log a contact or raise a case).';
    $('lookup').addEventListener('submit', function (event) {
      event.preventDefault();
      var input = $('studentNo');
      var number = input.value.trim();
      var error = $('studentNo-error');
      function fail(text) {
        input.classList.add('is-invalid');
        input.setAttribute('aria-invalid', 'true');
        error.textContent = text;
        error.classList.add('d-block');
        input.focus();
      }
      input.classList.remove('is-invalid');
      input.removeAttribute('aria-invalid');
      error.classList.remove('d-block');
      if (!number) return fail('请输入完整学号');
      $('lookup-button').disabled = true;
      window.hsbApi('GET', '/api/students/' + encodeURIComponent(number) + '?sensitive=omit').then(function (r) {
        if (r.ok) {
          window.location.href = '/students/' + encodeURIComponent(r.body.id);
          return;
        }
        fail(r.status === 404 ? '未找到学号为“' + number + '”的学生，或该生不属于您所在的学院（请核对完整学号）' : window.hsbProblemText(r.body));
      }).finally(function () { $('lookup-button').disabled = false; });
    });
  }

  function showSearch() {
    $('search-section').classList.remove('d-none');
    if (me.role === 'counselor') $('mine-wrap').classList.remove('d-none');
    filtersFromUrl();
    $('search').addEventListener('submit', search);
    $('search-reset').addEventListener('click', function () {
      setTimeout(function () {
        $('mine').checked = false;
        search();
      }, 0);
    });
    $('more').addEventListener('click', function () { load($('more').dataset.after); });
    search();
  }

  window.hsbSession.then(function (session) {
    me = session;
    if (!window.hsbCan(me, 'students:read')) {
      window.hsbShowMessage('warning', '您的角色无权查看学生档案。');
      return;
    }
    if (me.readScope && me.readScope.student === 'lookup') showLookup();
    else showSearch();
  });
})();
