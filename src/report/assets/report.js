// report.html's only script, inlined by src/report/html.rs. It only filters the checks table:
// everything it filters is already in the page, so the report reads the same without it.
(function () {
  'use strict';
  var idp = document.getElementById('filter-idp');
  var severity = document.getElementById('filter-severity');
  var status = document.getElementById('filter-status');
  var count = document.getElementById('filter-count');
  var rows = document.querySelectorAll('tr.check-row');

  // With an IdP chosen, a check's status is its status for that IdP's scenarios, and checks
  // that did not apply to it are left out unless "not applicable" is asked for.
  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var own = idp.value ? row.getAttribute('data-status-' + idp.value) : row.dataset.status;
      var visible = (!severity.value || row.dataset.severity === severity.value) &&
        (status.value ? own === status.value : (!idp.value || own !== 'not_applicable'));
      row.closest('tbody').hidden = !visible;
      if (visible) { shown += 1; }
    });
    count.textContent = shown + ' of ' + rows.length + ' checks';
  }

  [idp, severity, status].forEach(function (select) { select.addEventListener('change', apply); });
  apply();
}());
