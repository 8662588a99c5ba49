var REASONS = {
  expired: '登录已过期，请重新登录。Your session has expired, please sign in again.',
  'signed-out': '您已退出登录。You have signed out.',
};
(function () {
  var reason = new URLSearchParams(window.location.search).get('reason');
  var notice = document.getElementById('notice');
  if (reason && REASONS[reason]) {
    notice.textContent = REASONS[reason];
    notice.classList.remove('d-none');
  }
})();

document.getElementById('login').addEventListener('submit', function (event) {
  event.preventDefault();
  var error = document.getElementById('error');
  error.classList.add('d-none');
  fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({
      username: document.getElementById('username').value,
      password: document.getElementById('password').value,
    }),
  }).then(function (response) {
    if (response.ok) {
      var next = new URLSearchParams(window.location.search).get('next');
      window.location.href = next && next.charAt(0) === '/' && next.charAt(1) !== '/' ? next : '/';
      return;
    }
    return response.json().then(function (problem) {
      error.textContent = problem.messageZh || '登录失败';
      error.classList.remove('d-none');
    });
  });
});
