window.hsbSession.then(function (me) {
  return window.hsbGet('/form?limit=100').then(function (forms) {
    var list = document.getElementById('forms');
    var canBuild = me.permissions.indexOf('forms:manage') !== -1;
    forms.forEach(function (form) {
      var row = document.createElement('div');
      row.className = 'list-group-item d-flex align-items-center gap-2';
      var link = document.createElement('a');
      // The visit-application form is filed from a college's plan page, which gives it its campaign and
      // college; the visit-report form from a visit in "my visits", which gives it its report.
      var from = { visitApplication: '/visits', visitReport: '/visits/mine' };
      link.href = from[form.path] || '/forms/' + encodeURIComponent(form.path);
      link.textContent = form.title;
      link.className = 'me-auto';
      var version = document.createElement('span');
      version.className = 'badge bg-secondary';
      version.textContent = 'v' + form.version;
      row.append(link, version);
      if (canBuild) {
        var edit = document.createElement('a');
        edit.href = '/builder/' + encodeURIComponent(form.path);
        edit.className = 'btn btn-sm btn-outline-primary';
        edit.textContent = '设计';
        row.append(edit);
      }
      list.append(row);
    });
  });
});
