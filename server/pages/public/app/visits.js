// The home-visit campaigns the signed-in user may see: the overview of each, and a college's own plan.
window.hsbSession.then(function (me) {
  return window.hsbApi('GET', '/api/visit-campaigns?limit=100').then(function (r) {
    if (!r.ok) throw new Error((r.body && r.body.messageZh) || '无法读取家访活动');
    var list = document.getElementById('campaigns');
    var items = r.body.items || [];
    if (!items.length) window.hsbShowMessage('info', '暂无家访活动。');
    items.forEach(function (c) {
      var row = window.hsbEl('div', 'list-group-item d-flex flex-wrap align-items-center gap-2');
      var link = window.hsbEl('a', 'me-auto', c.title);
      link.href = '/visits/' + encodeURIComponent(c.id);
      var state = window.hsbEl('span', 'badge ' + (c.state === 'open' ? 'bg-success' : 'bg-secondary'), { draft: '草稿', open: '进行中', closed: '已结束' }[c.state] || c.state);
      var due = window.hsbEl('span', 'small text-muted', '申报截止 ' + c.planDueText);
      row.append(link, state, due);
      if (me.college && c.state !== 'draft') {
        var own = window.hsbEl('a', 'btn btn-sm btn-primary', '本学院家访计划');
        own.href = '/visits/' + encodeURIComponent(c.id) + '/plans/' + encodeURIComponent(me.college);
        row.append(own);
      }
      list.append(row);
    });
  });
}).catch(function (error) {
  window.hsbShowMessage('danger', '加载失败：' + (error && error.message || error));
});
