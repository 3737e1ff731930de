(function () {
  'use strict';

  // Copy a draft exactly as shown; fall back to selecting it where the Clipboard API is missing.
  function copyText(box) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(box.value);
    }
    return new Promise(function (resolve, reject) {
      box.focus();
      box.select();
      if (document.execCommand('copy')) { resolve(); } else { reject(new Error('copy failed')); }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll('button.copy'), function (button) {
    button.addEventListener('click', function () {
      var box = document.getElementById(button.getAttribute('data-target'));
      var label = button.getAttribute('data-label');
      copyText(box).then(function () {
        button.textContent = button.getAttribute('data-done');
        window.setTimeout(function () { button.textContent = label; }, 1500);
      }, function () {
        box.focus();
        box.select();
      });
    });
  });

  // Sortable tables: click a heading; numbers sort as numbers (data-sort holds the sort key).
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var heads = table.querySelectorAll('thead th');
    Array.prototype.forEach.call(heads, function (th, column) {
      th.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var numeric = th.getAttribute('data-type') === 'number';
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].getAttribute('data-sort') || a.cells[column].textContent;
          var y = b.cells[column].getAttribute('data-sort') || b.cells[column].textContent;
          var order = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
