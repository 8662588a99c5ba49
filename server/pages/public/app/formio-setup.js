// Points @formio/js at this service: the Form.io API lives at the site root, lazily loaded libraries
// come from /assets/cdn, and messages are Chinese (the same table the server validates with).
(function () {
  var origin = window.location.origin;
  Formio.setBaseUrl(origin);
  Formio.setProjectUrl(origin);
  Formio.cdn.setBaseUrl(origin + '/assets/cdn');
  window.hsbFormioOptions = fetch('/assets/i18n/zh.json').then(function (r) { return r.json(); }).then(function (zh) {
    return { language: 'zh', i18n: { zh: zh } };
  });
  window.hsbFormPath = decodeURIComponent(window.location.pathname.split('/').pop());
})();
