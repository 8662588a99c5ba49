// Shared by the home-visit pages: JSON requests against the service, dates and badges in Chinese.
window.hsbApi = function (method, url, body, headers) {
  var options = { method: method, headers: Object.assign({ Accept: 'application/json' }, headers || {}) };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  return fetch(url, options).then(function (response) {
    return response.text().then(function (text) {
      var data = null;
      try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
      return { status: response.status, ok: response.ok, body: data, etag: response.headers.get('ETag') };
    });
  });
};

window.hsbStateClass = function (state) {
  return { none: 'bg-secondary', draft: 'bg-info text-dark', submitted: 'bg-warning text-dark', approved: 'bg-success', returned: 'bg-danger' }[state] || 'bg-secondary';
};

window.hsbDateTime = function (value) {
  if (!value) return '';
  return new Date(value).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
};

window.hsbText = function (element, text) {
  element.textContent = text;
  return element;
};

window.hsbEl = function (tag, className, text) {
  var element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
};
