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

  // The renderer marks a required group of checkboxes `role="group" aria-required`, which ARIA does not
  // allow on a group (assistive technology ignores it); the label's asterisk and the validation message
  // say it is required. Removed wherever the renderer draws one, including redraws.
  function dropGroupRequired(root) {
    root.querySelectorAll('[role="group"][aria-required]').forEach(function (node) { node.removeAttribute('aria-required'); });
  }
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) { if (node.nodeType === 1) dropGroupRequired(node.parentNode || node); });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
