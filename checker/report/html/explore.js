// The explorer's controls, on top of the diagram page: the enabled steps, back, a random run, save.
// Talks to the `explore` server on 127.0.0.1 (same origin); no other network.
(function () {
  'use strict';
  var box = document.getElementById('tsmc-explore');
  if (!box) return;
  var diagrams = [];

  function h(tag, attrs, text, parent) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  function call(path, body) {
    return fetch(path, { method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) { return r.json(); })
      .then(render)
      .catch(function (e) { setStatus('error: ' + e.message); });
  }

  function setStatus(text) {
    var s = document.querySelector('[data-role="status"]');
    if (s) s.textContent = text;
  }

  function render(st) {
    box.innerHTML = '';
    box.className = 'explore';
    var row1 = h('div', null, null, box);
    h('strong', null, 'Explore: ', row1);
    h('span', null, 'at step ' + st.steps + (st.violated ? ' · ' + st.violated + ' is violated here' : ''), row1);
    var back = h('button', { 'data-role': 'back' }, '← Back', row1);
    back.onclick = function () { call('/api/back', {}); };
    var n = h('input', { type: 'number', value: '20', min: '1', max: '10000', size: '5', 'data-role': 'random-steps' }, null, row1);
    var rnd = h('button', { 'data-role': 'random' }, 'Random run', row1);
    rnd.onclick = function () { call('/api/random', { steps: Number(n.value) || 20 }); };
    var pick = null;
    if (st.inits > 1) {
      pick = h('select', { 'data-role': 'init' }, null, row1);
      for (var k = 0; k < st.inits; k++) h('option', { value: String(k) }, 'initial state ' + (k + 1), pick);
    }
    var reset = h('button', { 'data-role': 'reset' }, st.inits > 1 ? 'Start from' : 'Restart', row1);
    reset.onclick = function () { call('/api/reset', pick ? { init: Number(pick.value) } : {}); };
    var save = h('button', { 'data-role': 'save' }, 'Save trace', row1);
    save.onclick = function () { call('/api/save', {}); };
    h('span', { class: 'status', 'data-role': 'status' }, st.message || '', row1);
    h('div', { class: 'meta' }, st.enabled.length ? 'Enabled steps (' + st.enabled.length + '), click one to take it:' : 'No step is enabled here.', box);
    var list = h('div', { class: 'enabled', 'data-role': 'enabled' }, null, box);
    st.enabled.forEach(function (e) {
      var b = h('button', { 'data-index': String(e.index), class: e.fault ? 'fault' : '' }, e.label, list);
      b.onclick = function () { call('/api/step', { index: e.index }); };
    });
    diagrams = window.tsmc.renderAll({ diagrams: [st.diagram] });
    var d = diagrams[0];
    if (d) d.select(d.d.events.length - 1, true);
  }

  call('/api/state');
})();
