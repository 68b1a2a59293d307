// The checkout page's script, inlined under the page's CSP nonce: it counts down to the expiry, asks the
// status every 250 ms (slower once expired: a late payment may still be credited), shows the state the
// server reports and, once paid, follows the return URL the status answer gives. Plain ES2017, no build.

export const POLL_MS = 250;
/** How long "paid" is shown before the browser goes back to the shop. */
export const RETURN_DELAY_MS = 1500;

export const CHECKOUT_SCRIPT = `(function () {
  'use strict';
  var root = document.getElementById('checkout');
  var statusUrl = root.getAttribute('data-status-url');
  var deadline = Date.now() + Number(root.getAttribute('data-expires-in'));
  var state = root.getAttribute('data-status');
  var countdown = document.getElementById('countdown');
  var returning = false;
  function show(next, returnUrl) {
    state = next;
    root.setAttribute('data-status', next);
    document.querySelectorAll('[data-state]').forEach(function (el) {
      el.hidden = el.getAttribute('data-state') !== next;
    });
    if (next !== 'pending') {
      document.querySelectorAll('[data-while-pending]').forEach(function (el) { el.hidden = true; });
    }
    if (next === 'paid' && returnUrl && !returning) {
      returning = true;
      var link = document.getElementById('return-link');
      link.href = returnUrl;
      link.hidden = false;
      document.getElementById('returning').hidden = false;
      document.getElementById('paid-close').hidden = true;
      setTimeout(function () { window.location.assign(returnUrl); }, ${RETURN_DELAY_MS});
    }
  }
  function tick() {
    if (!countdown) return;
    var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
    var minutes = Math.floor(left / 60), seconds = left % 60;
    countdown.textContent = minutes + ':' + (seconds < 10 ? '0' : '') + seconds;
  }
  function poll() {
    fetch(statusUrl, { cache: 'no-store', headers: { accept: 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body && body.status !== state) show(body.status, body.returnUrl); })
      .catch(function () {})
      .then(function () {
        if (state === 'pending') setTimeout(poll, ${POLL_MS});
        else if (state === 'expired') setTimeout(poll, 5000);
      });
  }
  var copy = document.getElementById('copy');
  if (copy) copy.addEventListener('click', function () {
    var text = document.getElementById('order-no').textContent;
    var done = function () { copy.textContent = copy.getAttribute('data-copied'); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, function () {});
    else {
      var range = document.createRange();
      range.selectNodeContents(document.getElementById('order-no'));
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      if (document.execCommand('copy')) done();
    }
  });
  var link = document.getElementById('return-link');
  if (state === 'paid' && link && link.getAttribute('href')) show('paid', link.getAttribute('href'));
  tick();
  setInterval(tick, 1000);
  if (state === 'pending' || state === 'expired') setTimeout(poll, ${POLL_MS});
})();`;
