// B6: the term-letter campaigns the signed-in user may see, newest first, with their state and how far sending is.
(function () {
  var el = window.hsbEl;
  window.hsbSession.then(function (me) {
    if (window.hsbCan(me, 'letters:manage')) document.getElementById('compose').classList.remove('d-none');
    return window.hsbGet('/api/letter-campaigns?limit=100').then(function (body) {
      var list = document.getElementById('campaigns');
      var items = body.items || [];
      if (!items.length) window.hsbShowMessage('info', '暂无致家长的一封信。');
      items.forEach(function (c) {
        var row = el('div', 'list-group-item');
        row.dataset.campaign = c.id;
        var top = el('div', 'd-flex flex-wrap align-items-center gap-2');
        var link = el('a', 'me-auto fw-semibold', c.title);
        link.href = '/letters/' + encodeURIComponent(c.id);
        var state = el('span', 'badge ' + window.hsbLetterStateClass(c.state), c.stateZh);
        state.dataset.state = c.state;
        top.append(link, el('span', 'small text-muted', c.academicYear + ' ' + c.termZh), state);
        row.append(top);
        if (c.state !== 'draft' && c.state !== 'scheduled') {
          var p = window.hsbLetterProgress(c.progress);
          var bar = el('div', 'progress mt-2');
          bar.setAttribute('role', 'progressbar');
          bar.setAttribute('aria-label', c.title + ' 发送进度');
          bar.setAttribute('aria-valuemin', '0');
          bar.setAttribute('aria-valuemax', '100');
          bar.setAttribute('aria-valuenow', String(p.percent));
          var fill = el('div', 'progress-bar');
          fill.style.width = p.percent + '%';
          bar.append(fill);
          row.append(bar, el('div', 'small text-muted mt-1', p.text + ' · 反馈截止 ' + c.feedbackDueText));
        } else {
          row.append(el('div', 'small text-muted mt-1', (c.sendAt ? '定于 ' + window.hsbDateTime(c.sendAt) + ' 发送 · ' : '') + '反馈截止 ' + c.feedbackDueText));
        }
        list.append(row);
      });
    });
  }).catch(function (error) {
    window.hsbShowMessage('danger', '加载失败：' + window.hsbProblemText(error));
  });
})();
