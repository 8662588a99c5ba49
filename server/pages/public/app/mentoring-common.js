// Shared by the mentoring-group pages (C1): labels the group JSON does not carry, state badges, and the
// service's refusals shown under the field they name.
(function () {
  var el = window.hsbEl;

  window.hsbMentoring = {
    STATE_CLASS: { proposed: 'text-bg-warning', active: 'text-bg-success', closed: 'text-bg-secondary', rejected: 'text-bg-light border' },
    STATES: [['proposed', '待审批'], ['active', '帮扶中'], ['closed', '已结束'], ['rejected', '未批准']],
    EMPLOYMENT: { fullTime: '专职', partTime: '兼职' },
    MEMBER_ROLE: { leader: '组长', member: '成员' },
    AREAS: [['values', '理想信念与价值观'], ['studyInterest', '学习兴趣'], ['mentalHealth', '心理疏导'], ['legalAwareness', '法律意识'], ['practicalDifficulties', '实际困难']],
    OUTCOMES: [['employed', '已就业'], ['furtherStudy', '升学'], ['withdrawn', '退学'], ['transferred', '转学'], ['other', '其他']],
    CHANGE: { added: '加入', removed: '退出', leader: '担任组长' },

    /** The group's state as a badge (data-state for tests and styles). */
    stateBadge: function (group) {
      var badge = el('span', 'badge ' + (this.STATE_CLASS[group.state] || 'text-bg-secondary'), group.stateLabel || group.state);
      badge.dataset.state = group.state;
      return badge;
    },

    leaderOf: function (group) {
      return (group.members || []).filter(function (m) { return m.role === 'leader'; })[0] || null;
    },

    /** "学生 张三（2024001）" — how a group is named on every page. */
    title: function (group) {
      var s = group.student || {};
      return s.name + (s.studentNo ? '（' + s.studentNo + '）' : '');
    },

    /** A failed answer as an Error carrying the service's problem (code, messageZh, field, details). */
    failure: function (r) {
      var body = r.body && typeof r.body === 'object' ? r.body : {};
      return Object.assign(new Error(body.messageZh || body.message || 'HTTP ' + r.status), body, { status: r.status });
    },

    /** The Chinese message of a problem, with its field details when there are several. */
    problemText: function (error) {
      var details = (error && error.details || []).map(function (d) { return d.message; }).filter(Boolean);
      var text = window.hsbProblemText(error);
      return details.length && details.join('；') !== text ? text + '：' + details.join('；') : text;
    },

    /**
     * Puts each problem under its field: `fields` maps a field name of the request (members, needs…) to the
     * form control and its feedback element. Answers whether any problem found its field.
     */
    showFieldProblems: function (error, fields) {
      var placed = false;
      Object.keys(fields).forEach(function (name) {
        fields[name].control.classList.remove('is-invalid');
        fields[name].feedback.textContent = '';
      });
      var problems = (error.details || []).map(function (d) { return { path: d.path, message: d.message }; });
      if (error.field) problems.unshift({ path: error.field, message: error.messageZh || error.message });
      problems.forEach(function (p) {
        var name = String(p.path || '').replace(/^data\./, '').split(/[.[]/)[0];
        var target = fields[name];
        if (!target) return;
        target.control.classList.add('is-invalid');
        target.feedback.textContent = target.feedback.textContent ? target.feedback.textContent + '；' + p.message : p.message;
        placed = true;
      });
      return placed;
    },

    /** One entry of the activity log. */
    activityItem: function (a) {
      var item = el('li', 'list-group-item');
      item.dataset.activity = a.id;
      var top = el('div', 'd-flex flex-wrap gap-2 align-items-baseline');
      top.append(el('span', 'fw-semibold', a.kindLabel || a.kind), el('span', 'small text-muted', window.hsbDateTime(a.at) + ' · ' + (a.byName || '')));
      (a.areaLabels || a.areas || []).forEach(function (label) { top.append(el('span', 'badge text-bg-light border', label)); });
      item.append(top, el('div', 'mentoring-summary', a.summary));
      if (a.nextStep) item.append(el('div', 'small text-muted', '下一步：' + a.nextStep));
      return item;
    },
  };
})();
