// Where the result of a page goes. `window.__result` is what the Chromium tests read (playwright-core polls
// it); with `?report=/path` the page also POSTs `{ userAgent, result }`, as JSON, to that path of its own
// origin: the Firefox tests run Debian's firefox-esr as a plain process and read results that way. In
// report mode an uncaught error or rejection is reported as a failure, so that a broken page fails fast.
// A classic script (not a module): it is in place before any module starts, even one that fails to load.
(() => {
  const target = new URLSearchParams(location.search).get('report');
  let sent = false;
  const send = (result) => {
    if (!target || sent) return;
    sent = true;
    const body = JSON.stringify({ userAgent: navigator.userAgent, result });
    fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).catch(() => {});
  };
  // The message and the stack: Firefox's error.stack holds the frames only (V8's starts with the message).
  window.describeError = (error) => `${error}\n${error?.stack ?? ''}`.trim();
  window.__publish = (result) => {
    window.__result = result;
    send(result);
  };
  if (!target) return;
  window.addEventListener('error', (event) => send({ failure: `uncaught error: ${event.message} (${event.filename}:${event.lineno})` }));
  window.addEventListener('unhandledrejection', (event) => send({ failure: `unhandled rejection: ${window.describeError(event.reason)}` }));
})();
