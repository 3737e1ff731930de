// fbtrack serve: what the pages need script for, and nothing else: copying a draft exactly,
// files dropped anywhere on the import page, and the upload's progress.
(function () {
  'use strict';

  function copyText(box) {
    if (navigator.clipboard && navigator.clipboard.writeText) return navigator.clipboard.writeText(box.value);
    return new Promise(function (resolve, reject) {
      box.focus();
      box.select();
      if (document.execCommand('copy')) resolve(); else reject(new Error('copy failed'));
    });
  }

  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    var label = button.textContent;
    button.addEventListener('click', function () {
      var box = document.getElementById(button.getAttribute('data-copy'));
      copyText(box).then(function () {
        button.textContent = button.getAttribute('data-done');
        window.setTimeout(function () { button.textContent = label; }, 1500);
      }, function () { box.focus(); box.select(); });
    });
  });

  var form = document.getElementById('import-form');
  if (!form) return;
  var input = form.querySelector('input[type=file][name=files]');
  var progress = document.getElementById('import-progress');
  var busy = false;

  function say(text) { progress.hidden = false; progress.textContent = text; }

  // The form's own fields with the files given, sent with the upload's progress shown; the
  // server answers with the result page's address.
  function send(files) {
    if (busy || !files || files.length === 0) return;
    busy = true;
    var data = new FormData();
    form.querySelectorAll('input[type=hidden], input[type=checkbox]:checked').forEach(function (field) {
      data.append(field.name, field.type === 'checkbox' ? 'on' : field.value);
    });
    Array.prototype.forEach.call(files, function (file) { data.append('files', file, file.name); });
    var request = new XMLHttpRequest();
    request.open('POST', form.action);
    request.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) say(progress.getAttribute('data-uploading') + ' ' + Math.floor(e.loaded * 100 / e.total) + ' %');
    });
    request.upload.addEventListener('load', function () { say(progress.getAttribute('data-importing')); });
    request.addEventListener('load', function () {
      if (request.status === 200 && request.responseURL) { window.location.assign(request.responseURL); return; }
      busy = false;
      say(progress.getAttribute('data-failed') + ' (' + request.status + ') ' + request.responseText.slice(0, 300));
    });
    request.addEventListener('error', function () { busy = false; say(progress.getAttribute('data-failed')); });
    say(progress.getAttribute('data-uploading'));
    request.send(data);
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    send(input.files);
  });
  input.addEventListener('change', function () { send(input.files); });
  // Anywhere on the page: a seller drags the month's downloads in from the file manager.
  document.addEventListener('dragover', function (e) {
    e.preventDefault();
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', function (e) {
    if (e.target === document.documentElement || e.target === document.body) document.body.classList.remove('dragging');
  });
  document.addEventListener('drop', function (e) {
    e.preventDefault();
    document.body.classList.remove('dragging');
    if (e.dataTransfer) send(e.dataTransfer.files);
  });
})();
