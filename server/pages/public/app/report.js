// One visit report (附件3): the facts the records know as a card, the visit-report form filled from
// GET /api/visit-reports/:id. The form submits to the service like any Form.io client — "保存草稿" as a
// draft, "提交" as a submission — and the form's handler writes the report (server/visits/reports/report-form.ts).
// What is typed is also kept on this device (localStorage, per report and revision) until the service has it.
(function () {
  var reportId = decodeURIComponent(window.location.pathname.split('/').pop());
  var api = '/api/visit-reports/' + encodeURIComponent(reportId);
  var $ = function (id) { return document.getElementById(id); };
  var PREFIX = 'hsb-report-draft:' + reportId + ':';
  var SENSITIVE = ['psychologicalState', 'familyFinances'];
  var report = null;
  var form = null;
  var saveTimer = null;

  function selected(keys, all) {
    var value = {};
    all.forEach(function (key) { value[key] = keys.indexOf(key) !== -1; });
    return value;
  }

  function fileEntries(ids, label) {
    return ids.map(function (id, i) {
      return { storage: 'url', url: window.location.origin + '/api/files/' + id, name: label + '-' + (i + 1), originalName: label + ' ' + (i + 1), size: 0, type: '' };
    });
  }

  /** The report's content as the form's data: the form's keys are the report's content keys. */
  function formData(r) {
    var c = r.content;
    var data = {
      report: r.id, revision: r.revision, targetType: r.targetType, visitedOn: c.visitedOn || '',
      place: c.place, metWith: c.metWith, familyState: c.familyState, emotionalState: c.emotionalState, studyState: c.studyState,
      personality: c.personality, graduateDevelopment: c.graduateDevelopment, account: c.account, reflections: c.reflections, parentOpinion: c.parentOpinion,
      orientations: selected(c.orientations, ['policy', 'ideology', 'study', 'psychology', 'life', 'growth']),
      safetyEducation: selected(c.safetyEducation, ['life', 'health', 'social', 'travel', 'internet', 'integrity']),
      aidPolicies: selected(c.aidPolicies, ['scholarship', 'grant', 'loan', 'workStudy', 'other', 'tuitionWaiver']),
      loan: c.loan ? { repaymentIntention: c.loan.repaymentIntention || '', reminderGiven: c.loan.reminderGiven, note: c.loan.note } : { repaymentIntention: '', reminderGiven: false, note: '' },
      followUp: { needed: c.followUp.needed, needs: c.followUp.needs },
      photos: fileEntries(r.photos, '照片'),
      media: fileEntries(r.media, '音视频'),
    };
    SENSITIVE.forEach(function (key) { if (typeof c[key] === 'string') data[key] = c[key]; });
    return data;
  }

  function fact(label, value) {
    var dt = window.hsbEl('dt', 'col-5 col-sm-3', label);
    var dd = window.hsbEl('dd', 'col-7 col-sm-9', value || '—');
    $('facts').append(dt, dd);
  }

  function showFacts(r) {
    $('facts').textContent = '';
    var s = r.student;
    fact('学生 Student', s.studentNo + ' ' + s.name);
    fact('学院 College', r.college.name || r.college.code);
    fact('专业年级 Major', s.major + ' · ' + s.grade + '级' + (s.className ? ' · ' + s.className : ''));
    fact('对象 Target', r.targetTypeZh + ' · ' + r.kindZh);
    fact('家访方式 Mode', r.modeZh + '（至少 ' + r.evidenceRequired.photos + ' 张照片）');
    fact('家访人员 Visitors', r.visitors.map(function (v) { return v.name + '（' + v.roleZh + '）'; }).join('、'));
    fact(r.unplanned ? '计划外原因 Reason' : '计划日期 Planned', r.unplanned ? r.reason : r.plannedOn || '未定');
    var badge = $('state');
    badge.className = 'badge fs-6 ' + (r.state === 'submitted' ? 'bg-success' : 'bg-info text-dark');
    badge.textContent = r.stateZh + (r.version ? '（第 ' + r.version + ' 版' + (r.amending ? '，修改中' : '') + '）' : '');
    $('title').firstChild.textContent = '家访工作报告 · ' + s.name + ' ';
    document.title = '家访工作报告 · ' + s.name + ' · 家校心桥';
  }

  // ---- drafts kept on this device --------------------------------------------------------------
  function localDrafts() {
    var found = [];
    for (var i = 0; i < window.localStorage.length; i += 1) {
      var key = window.localStorage.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        try { found.push(Object.assign({ key: key }, JSON.parse(window.localStorage.getItem(key)))); } catch (e) { window.localStorage.removeItem(key); }
      }
    }
    return found.sort(function (a, b) { return b.savedAt - a.savedAt; });
  }

  function clearLocalDrafts() {
    localDrafts().forEach(function (d) { window.localStorage.removeItem(d.key); });
    $('local-draft').classList.add('d-none');
  }

  function keepLocally() {
    if (!form || !report) return;
    try {
      window.localStorage.setItem(PREFIX + report.revision, JSON.stringify({ revision: report.revision, savedAt: Date.now(), data: form.submission.data }));
    } catch (e) { /* storage full or disabled: the service is the record */ }
  }

  /** A draft typed here after the service's last change (e.g. a save that never arrived) is offered back. */
  function offerLocalDraft() {
    var newest = localDrafts()[0];
    var serverAt = report.updatedAt ? new Date(report.updatedAt).getTime() : 0;
    if (!newest || newest.savedAt <= serverAt) {
      if (newest) clearLocalDrafts();
      return;
    }
    $('local-draft-text').textContent = '本机有一份未保存到服务器的草稿（' + window.hsbDateTime(newest.savedAt) + '，基于修订 ' + newest.revision + (newest.revision !== report.revision ? '，服务器上已是修订 ' + report.revision : '') + '）。A newer draft is kept on this device.';
    $('local-draft').classList.remove('d-none');
    $('restore-draft').onclick = function () {
      var data = Object.assign({}, newest.data, { report: report.id, revision: report.revision, targetType: report.targetType });
      fill(data).then(function () {
        $('local-draft').classList.add('d-none');
        window.hsbShowMessage('info', '已恢复本机草稿，请保存或提交。Local draft restored: save or submit it.');
      });
    };
    $('discard-draft').onclick = clearLocalDrafts;
  }

  // ---- the service's answers -------------------------------------------------------------------
  function errorList(errors) {
    var list = window.hsbEl('ul', 'mb-0');
    (errors || []).forEach(function (e) {
      var item = window.hsbEl('li', '', e.message || String(e));
      if (e.messageEn) item.append(window.hsbEl('small', 'text-muted d-block', e.messageEn));
      list.append(item);
    });
    return list;
  }

  function showProblem(title, errors) {
    window.hsbShowMessage('danger', title);
    $('message').append(errorList(errors));
  }

  function onSubmitError(error) {
    var details = (error && error.details) || (Array.isArray(error) ? error : []);
    var fromServer = details.some(function (d) { return d.fromServer || d.messageEn; });
    keepLocally();
    if (details.some(function (d) { return d.rule === 'revision' || d.rule === 'REVISION_CONFLICT'; })) {
      window.hsbShowMessage('danger', '保存未成功：这份报告刚被其他人（或您在另一台设备上）修改过。您填写的内容已保存在本机；请刷新页面，查看最新内容后选择“恢复本机草稿”再保存。');
      $('message').append(window.hsbEl('small', 'd-block', 'Not saved: the report was changed elsewhere since you opened it. Your text is kept on this device — reload, then restore the local draft.'));
      var reload = window.hsbEl('button', 'btn btn-sm btn-outline-danger mt-2', '刷新 Reload');
      reload.type = 'button';
      reload.addEventListener('click', function () { window.location.reload(); });
      $('message').append(reload);
      return;
    }
    if (!fromServer) {
      showProblem('请按表单中的提示修改后重试。Please correct the fields marked below.', []);
      return;
    }
    showProblem('未能提交或保存，请按提示修改。Not saved or not submitted:', details);
    // A refused submission may still have saved the draft: carry on from the revision the service now holds.
    window.hsbApi('GET', api).then(function (r) {
      if (r.ok && r.body.revision === report.revision + 1 && r.body.state === 'draft') {
        report = r.body;
        showFacts(report);
        clearLocalDrafts();
        $('message').firstChild.textContent = '未能提交，草稿已保存。请按提示补充后再提交。Not submitted — the draft was saved:';
      }
    });
  }

  function onSubmitDone(submission) {
    var draft = submission.state === 'draft';
    clearLocalDrafts();
    form.setAlert(); // the page says what was saved, above the facts

    return load().then(function () {
      window.hsbShowMessage('success', draft ? '草稿已保存（修订 ' + report.revision + '）。Draft saved.' : '家访报告已提交（第 ' + report.version + ' 版）。Report submitted.');
      window.scrollTo(0, 0);
    });
  }

  // Not form.setSubmission: with the Chinese translation table its promise (formReady) may never settle.
  function fill(data) {
    form.setValue({ data: data }, { fromSubmission: true });
    return Promise.resolve();
  }

  function load() {
    return window.hsbApi('GET', api).then(function (r) {
      if (!r.ok) throw Object.assign(new Error((r.body && r.body.messageZh) || '无法读取家访报告'), r.body || {});
      report = r.body;
      showFacts(report);
      // A fresh submission each time (no _id): every save goes through the form's handler.
      return fill(formData(report));
    });
  }

  function mayWrite(me) {
    return window.hsbCan(me, 'contacts:write') && window.hsbCan(me, 'submissions:create');
  }

  window.hsbSession.then(function (me) {
    return window.hsbFormioOptions.then(function (options) {
      return window.hsbApi('GET', api).then(function (r) {
        if (!r.ok) throw Object.assign(new Error((r.body && r.body.messageZh) || '无法读取家访报告'), r.body || {});
        report = r.body;
        var editable = mayWrite(me) && report.campaign.state === 'open';
        var hooks = {
          // The report and the revision the form was filled from go with every save (If-Match); a sensitive
          // part this reader was never shown is left out, so the stored one stays.
          beforeSubmit: function (submission, next) {
            submission.data.report = report.id;
            submission.data.revision = report.revision;
            (report.redacted || []).forEach(function (key) { delete submission.data[key]; });
            keepLocally();
            next();
          },
        };
        return Formio.createForm($('formio'), window.location.origin + '/form/visitReport', Object.assign({}, options, { readOnly: !editable, hooks: hooks }));
      }).then(function (created) {
        form = created;
        showFacts(report);
        (report.redacted || []).forEach(function (key) {
          var component = form.getComponent(key);
          if (component) component.visible = false;
        });
        return fill(formData(report));
      }).then(function () {
        form.on('change', function (_event, _flags, modified) {
          if (!modified) return;
          clearTimeout(saveTimer);
          saveTimer = setTimeout(keepLocally, 500);
        });
        form.on('submitDone', onSubmitDone);
        form.on('submitError', onSubmitError);
        if (report.state === 'submitted') window.hsbShowMessage('info', '此报告已提交。修改后再次提交将生成第 ' + (report.version + 1) + ' 版，已提交的版本保留。Changes make a new version.');
        offerLocalDraft();
        document.body.dataset.ready = 'true';
      });
    });
  }).catch(function (error) {
    window.hsbShowMessage('danger', '加载失败：' + (error && (error.messageZh || error.message) || error));
  });
})();
