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
