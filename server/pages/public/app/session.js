// Shared by the staff pages: who is signed in; sends anyone else to the sign-in page.
window.hsbSession = fetch('/api/auth/me', { headers: { Accept: 'application/json' } }).then(function (response) {
  if (response.status === 401) {
    window.location.href = '/login?next=' + encodeURIComponent(window.location.pathname + window.location.search);
    return new Promise(function () {});
  }
  return response.json();
}).then(function (me) {
  var who = document.getElementById('who');
  if (who) who.textContent = me.displayName + '（' + me.roleZh + '）';
  return me;
});

window.hsbShowMessage = function (kind, text) {
  var box = document.getElementById('message');
  box.className = 'alert alert-' + kind;
  box.textContent = text;
};
