// The workspace shell, shared by every staff page: who is signed in, the menu their role may use (from
// /api/auth/me, which the policy module fills), sign-out, session expiry, and small helpers for the pages.
(function () {
  var signedIn = false;

  function toLogin(reason) {
    var next = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.href = '/login?next=' + next + (reason ? '&reason=' + reason : '');
    return new Promise(function () {});
  }

  /** JSON request against the service; a session that ended while the page was open sends the user to sign in. */
  window.hsbApi = function (method, url, body, headers) {
    var options = { method: method, headers: Object.assign({ Accept: 'application/json' }, headers || {}) };
    if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      if ((response.status === 401 || response.status === 440) && signedIn) return toLogin('expired');
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
        return { status: response.status, ok: response.ok, body: data, etag: response.headers.get('ETag') };
      });
    });
  };

  /** The body of a successful answer, or a rejection carrying the service's bilingual problem. */
  window.hsbGet = function (url) {
    return window.hsbApi('GET', url).then(function (r) {
      if (!r.ok) throw Object.assign(new Error((r.body && r.body.message) || 'HTTP ' + r.status), r.body || {}, { status: r.status });
      return r.body;
    });
  };

  window.hsbEl = function (tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined && text !== null) element.textContent = text;
    return element;
  };

  window.hsbText = function (element, text) {
    element.textContent = text;
    return element;
  };

  window.hsbDateTime = function (value) {
    if (!value) return '';
    return new Date(value).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  };

  window.hsbDate = function (value) {
    if (!value) return '';
    return new Date(value).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric' });
  };

  window.hsbShowMessage = function (kind, text) {
    var box = document.getElementById('message');
    box.className = 'alert alert-' + kind;
    box.textContent = text;
  };

  /** The service's message for a failed request, in Chinese first. */
  window.hsbProblemText = function (error) {
    if (!error) return '';
    return error.messageZh || error.message || String(error);
  };

  function isCurrent(href) {
    var path = window.location.pathname;
    return href === '/' ? path === '/' : path === href || path.indexOf(href + '/') === 0;
  }

  function signOut() {
    signedIn = false;
    fetch('/api/auth/logout', { method: 'POST', headers: { Accept: 'application/json' } }).finally(function () {
      window.location.href = '/login?reason=signed-out';
    });
  }

  function renderShell(me) {
    var header = document.getElementById('shell');
    if (!header) return;
    var el = window.hsbEl;
    var nav = el('nav', 'navbar navbar-expand-lg navbar-dark bg-primary mb-4');
    nav.setAttribute('aria-label', '主导航');
    var container = el('div', 'container-xl');
    var brand = el('a', 'navbar-brand', '家校心桥');
    brand.href = '/';
    var toggle = el('button', 'navbar-toggler');
    toggle.type = 'button';
    toggle.setAttribute('aria-controls', 'shell-menu');
    toggle.setAttribute('aria-expanded', 'false');
    toggle.setAttribute('aria-label', '打开菜单 Menu');
    toggle.append(el('span', 'navbar-toggler-icon'));
    var collapse = el('div', 'collapse navbar-collapse');
    collapse.id = 'shell-menu';
    toggle.addEventListener('click', function () {
      var open = collapse.classList.toggle('show');
      toggle.setAttribute('aria-expanded', String(open));
    });
    var menu = el('ul', 'navbar-nav me-auto');
    // The most specific entry is the current one (/visits/mine, not also /visits).
    var current = (me.navigation || []).filter(function (entry) { return isCurrent(entry.href); })
      .sort(function (a, b) { return b.href.length - a.href.length; })[0];
    (me.navigation || []).forEach(function (entry) {
      var item = el('li', 'nav-item');
      var link = el('a', 'nav-link', entry.zh);
      link.href = entry.href;
      link.lang = 'zh-CN';
      link.title = entry.en;
      if (entry === current) {
        link.classList.add('active');
        link.setAttribute('aria-current', 'page');
      }
      item.append(link);
      menu.append(item);
    });
    var user = el('div', 'd-flex align-items-center gap-2 py-2 py-lg-0');
    var who = el('span', 'navbar-text text-white', me.displayName + '（' + me.roleZh + '）');
    who.id = 'who';
    var out = el('button', 'btn btn-sm btn-light', '退出登录');
    out.type = 'button';
    out.id = 'sign-out';
    out.addEventListener('click', signOut);
    user.append(who, out);
    collapse.append(menu, user);
    container.append(brand, toggle, collapse);
    nav.append(container);
    var expiry = el('div', 'alert alert-warning container-xl d-none');
    expiry.id = 'session-expiry';
    expiry.setAttribute('role', 'alert');
    header.replaceChildren(nav, expiry);
  }

  /** A notice a minute before the session ends, and the sign-in page once it has. */
  function watchExpiry(me) {
    if (!me.sessionExpiresAt) return;
    var left = new Date(me.sessionExpiresAt).getTime() - Date.now();
    var warnIn = Math.max(0, left - 60000);
    if (warnIn < 2147483647) {
      setTimeout(function () {
        var box = document.getElementById('session-expiry');
        if (!box) return;
        box.textContent = '登录即将过期，请保存正在填写的内容并重新登录。Your session is about to expire.';
        box.classList.remove('d-none');
      }, warnIn);
    }
    if (left < 2147483647) setTimeout(function () { if (signedIn) toLogin('expired'); }, Math.max(0, left));
  }

  window.hsbSession = fetch('/api/auth/me', { headers: { Accept: 'application/json' } }).then(function (response) {
    if (response.status === 401 || response.status === 440) return toLogin(response.status === 440 ? 'expired' : '');
    return response.json();
  }).then(function (me) {
    signedIn = true;
    renderShell(me);
    watchExpiry(me);
    return me;
  });

  window.hsbCan = function (me, permission) {
    return me.permissions.indexOf(permission) !== -1;
  };
})();
