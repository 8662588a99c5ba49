// My tasks (我的待办): everything that waits for the signed-in member of staff, earliest deadline first
// (GET /api/tasks, computed from the records on every request), with a filter per kind.
(function () {
  var el = window.hsbEl;
  /** Badge colour per kind; a kind without one (added later by another module) is grey. */
  var KIND_CLASS = {
    case: 'text-bg-warning',
    raisedCase: 'text-bg-light border',
    award: 'text-bg-success',
    contact: 'text-bg-info',
    planToFile: 'text-bg-secondary',
    planApproval: 'text-bg-dark',
    archive: 'text-bg-light border',
  };
  var kinds = [];
  var current = '';
  var asked = 0;

  function total(list) {
    return list.reduce(function (sum, k) { return sum + k.count; }, 0);
  }

  function renderFilters() {
    var box = document.getElementById('task-filters');
    var shown = kinds.filter(function (k) { return k.count > 0 || k.kind === current; });
    if (!shown.length) {
      box.replaceChildren();
      return;
    }
    var buttons = [{ kind: '', zh: '全部', en: 'All', count: total(kinds) }].concat(shown).map(function (k) {
      var button = el('button', 'btn btn-sm ' + (k.kind === current ? 'btn-secondary' : 'btn-outline-secondary'));
      button.type = 'button';
      button.dataset.kind = k.kind;
      button.title = k.en;
      button.setAttribute('aria-pressed', String(k.kind === current));
      button.append(el('span', '', k.zh), document.createTextNode(' '), el('span', 'badge text-bg-light border', String(k.count)));
      button.addEventListener('click', function () {
        if (k.kind !== current) load(k.kind);
      });
      return button;
    });
    var focused = box.contains(document.activeElement) ? document.activeElement.dataset.kind : undefined;
    box.replaceChildren.apply(box, buttons);
    // Rebuilt buttons keep the keyboard where it was.
    if (focused !== undefined) buttons.forEach(function (b) { if (b.dataset.kind === focused) b.focus(); });
  }

  function row(task) {
    var item = el('li', 'list-group-item task-row');
    item.dataset.kind = task.kind;
    item.dataset.id = task.id;
    var line = el('div', 'd-flex flex-wrap align-items-start gap-2');
    var badge = el('span', 'badge task-kind ' + (KIND_CLASS[task.kind] || 'text-bg-light border'), task.kindZh);
    var body = el('div', 'flex-grow-1 task-body');
    var link = el('a', 'fw-semibold task-link', task.title);
    link.href = task.href;
    body.append(link);
    if (task.student) {
      var who = el('div', 'small task-student', task.student.name + '（' + task.student.studentNo + '）' + (task.student.className ? ' · ' + task.student.className : ''));
      body.append(who);
    }
    if (task.note) body.append(el('div', 'small text-muted task-note', task.note));
    var due = el('div', 'small text-nowrap task-due' + (task.overdue ? ' text-danger' : ' text-muted'));
    due.append(document.createTextNode(task.dueAt ? '截止 ' + window.hsbDateTime(task.dueAt) : '无截止时间'));
    if (task.overdue) {
      due.append(document.createTextNode(' '));
      due.append(el('span', 'badge text-bg-danger task-overdue', '已逾期'));
    }
    line.append(badge, body, due);
    item.append(line);
    return item;
  }

  function render(answer) {
    var list = document.getElementById('tasks');
    list.replaceChildren.apply(list, answer.items.map(row));
    var shownKinds = current ? kinds.filter(function (k) { return k.kind === current; }) : kinds;
    var count = total(shownKinds);
    var overdue = answer.items.filter(function (t) { return t.overdue; }).length;
    document.getElementById('tasks-summary').textContent = count
      ? '共 ' + count + ' 项待办' + (overdue ? (answer.truncated ? '，当前列表中 ' : '，其中 ') + overdue + ' 项已逾期' : '') + '，最早到期的在前。'
      : '';
    var empty = document.getElementById('tasks-empty');
    empty.classList.toggle('d-none', answer.items.length > 0);
    document.getElementById('tasks-empty-text').textContent = current ? '此类暂无待办' : '暂无待办，您已处理完所有事项';
    list.classList.toggle('d-none', answer.items.length === 0);
    var note = document.getElementById('tasks-truncated');
    note.classList.toggle('d-none', !answer.truncated);
    note.textContent = answer.truncated ? '待办较多：仅显示最早到期的 ' + answer.items.length + ' 项（共 ' + count + ' 项）。处理完这些后刷新，或按类型筛选查看。' : '';
  }

  function load(kind) {
    var ticket = ++asked;
    current = kind;
    renderFilters();
    var url = '/api/tasks' + (kind ? '?kind=' + encodeURIComponent(kind) : '');
    return window.hsbGet(url).then(function (answer) {
      if (ticket !== asked) return;
      if (!kind) kinds = answer.kinds;
      else answer.kinds.forEach(function (k) {
        kinds = kinds.map(function (known) { return known.kind === k.kind ? k : known; });
      });
      renderFilters();
      render(answer);
    });
  }

  window.hsbSession.then(function () {
    return load('');
  }).catch(function (error) {
    document.getElementById('tasks-summary').textContent = '';
    window.hsbShowMessage('danger', '待办读取失败：' + window.hsbProblemText(error));
  });
})();
