Promise.all([window.hsbSession, window.hsbFormioOptions]).then(function (results) {
  var options = results[1];
  var formUrl = window.location.origin + '/form/' + encodeURIComponent(window.hsbFormPath);
  var submissionId = new URLSearchParams(window.location.search).get('submission');
  var source = submissionId ? formUrl + '/submission/' + encodeURIComponent(submissionId) : formUrl;
  return Formio.createForm(document.getElementById('formio'), source, options).then(function (form) {
    document.getElementById('title').textContent = form.form.title;
    document.title = form.form.title + ' · 家校心桥';
    form.on('submitDone', function (submission) {
      window.hsbShowMessage('success', '已提交，记录编号 ' + submission._id);
      document.getElementById('message').dataset.submissionId = submission._id;
    });
    form.on('submitError', function () {
      window.hsbShowMessage('danger', '提交未成功，请按提示修改后重新提交。');
    });
    return form;
  });
}).catch(function (error) {
  window.hsbShowMessage('danger', '表单加载失败：' + (error && (error.messageZh || error.message) || error));
});
