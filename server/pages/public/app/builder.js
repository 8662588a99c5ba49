Promise.all([window.hsbSession, window.hsbFormioOptions]).then(function (results) {
  var formUrl = window.location.origin + '/form/' + encodeURIComponent(window.hsbFormPath);
  var formio = new Formio(formUrl);
  return formio.loadForm().then(function (definition) {
    document.getElementById('title').textContent = '表单设计：' + definition.title;
    document.getElementById('version').textContent = 'v' + definition.version;
    return Formio.builder(document.getElementById('builder'), definition, results[1]).then(function (builder) {
      document.getElementById('save').addEventListener('click', function () {
        var edited = Object.assign({}, definition, { components: builder.schema.components });
        formio.saveForm(edited).then(function (saved) {
          document.getElementById('version').textContent = 'v' + saved.version;
          window.hsbShowMessage('success', '已保存为第 ' + saved.version + ' 版；已有提交记录仍对应原版本。');
        }, function (error) {
          window.hsbShowMessage('danger', '保存失败：' + (error.messageZh || error.message || error));
        });
      });
    });
  });
});
