// Small progressive enhancements; every page works without them.
(function () {
  // Selects and checkboxes marked data-autosubmit submit their form on change.
  document.addEventListener('change', function (e) {
    var el = e.target;
    if (el && el.hasAttribute && el.hasAttribute('data-autosubmit') && el.form) el.form.requestSubmit();
  });

  // The "new building" form shows how many homes it will create.
  document.querySelectorAll('form[data-homes-preview]').forEach(function (form) {
    var out = form.querySelector('.preview');
    var template = out.getAttribute('data-template');
    function value(name) { var i = form.querySelector('[name="Building.' + name + '"]'); return parseInt(i && i.value, 10) || 0; }
    function update() {
      var e = value('Entrances'), f = value('Floors'), h = value('HomesPerFloor');
      out.textContent = e > 0 && f > 0 && h > 0
        ? template.replace('{0}', e).replace('{1}', f).replace('{2}', h).replace('{3}', e * f * h) : '';
    }
    form.addEventListener('input', update);
    update();
  });

  // A fieldset marked data-shown-if="Name=Value" applies only while that radio is chosen: hidden and not sent otherwise
  // (the survey's household questions when a home was visited). Without JavaScript it simply stays.
  document.querySelectorAll('fieldset[data-shown-if]').forEach(function (set) {
    var rule = set.getAttribute('data-shown-if').split('=');
    var form = set.closest('form');
    function update() {
      var chosen = form.querySelector('input[type=radio][name="' + rule[0] + '"]:checked');
      var on = !chosen || chosen.value === rule[1];
      set.hidden = !on;
      set.disabled = !on;
    }
    form.addEventListener('change', update);
    update();
  });

  // A live-search picker (the console's resident picker): ArrowDown from the search box goes into the list, Up/Down move
  // through it, Up from the first or Escape goes back to the box. The list is made of buttons, so Tab works without this.
  document.addEventListener('keydown', function (e) {
    var el = e.target;
    if (!el || !el.closest) return;
    var picker = el.closest('fieldset');
    var list = picker && picker.querySelector('[data-picker-results]');
    if (!list) return;
    var input = picker.querySelector('[data-picker-input]');
    var items = Array.prototype.slice.call(list.querySelectorAll('button'));
    var at = items.indexOf(el);
    if (el === input && e.key === 'ArrowDown' && items.length > 0) { items[0].focus(); e.preventDefault(); }
    else if (at >= 0 && e.key === 'ArrowDown' && at < items.length - 1) { items[at + 1].focus(); e.preventDefault(); }
    else if (at >= 0 && e.key === 'ArrowUp') { (at > 0 ? items[at - 1] : input).focus(); e.preventDefault(); }
    else if (at >= 0 && e.key === 'Escape' && input) { input.focus(); e.preventDefault(); }
  });

  // TOTP enrolment: draw the otpauth URI as a QR code (qrcode-generator from npm).
  document.querySelectorAll('[data-qr]').forEach(function (el) {
    if (typeof qrcode !== 'function') return;
    var qr = qrcode(0, 'M');
    qr.addData(el.getAttribute('data-qr'));
    qr.make();
    var img = new Image();
    img.src = qr.createDataURL(6, 12);
    img.alt = el.getAttribute('aria-label') || '';
    el.appendChild(img);
  });
})();

// File inputs marked data-max-bytes refuse a file that is too large before it is uploaded (the server checks again).
document.addEventListener('change', function (e) {
  var el = e.target;
  if (!el || el.type !== 'file' || !el.hasAttribute('data-max-bytes')) return;
  var max = parseInt(el.getAttribute('data-max-bytes'), 10);
  var tooLarge = Array.prototype.some.call(el.files || [], function (f) { return f.size > max; });
  el.setCustomValidity(tooLarge ? el.getAttribute('data-too-large') : '');
  if (tooLarge) el.reportValidity();
});
