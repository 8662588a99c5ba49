// Shared by the term-letter pages (B6): state badges and the share of letters out of the door.
window.hsbLetterStateClass = function (state) {
  return { draft: 'bg-info text-dark', scheduled: 'bg-warning text-dark', sending: 'bg-primary', open: 'bg-success', closed: 'bg-secondary' }[state] || 'bg-secondary';
};

/** How far a campaign is: letters created out of the families while they are made, then letters out (sent, failed or printed). */
window.hsbLetterProgress = function (p) {
  var created = p.created || 0;
  if (!p.families) return { percent: 0, text: '尚未生成信件' };
  if (created < p.families) return { percent: Math.floor((100 * created) / p.families), text: '正在生成信件 ' + created + ' / ' + p.families };
  var out = (p.sent || 0) + (p.failed || 0) + (p.print || 0);
  return { percent: created ? Math.floor((100 * out) / created) : 0, text: '已发出 ' + out + ' / ' + created + ' 封' };
};
