// The page's script: draws each trace as a space-time diagram (a lane per process, an arrow per
// message) and shows the selected step's state, changes, clocks and properties. No dependencies:
// it runs from a file opened from disk, with no network. Plain browser JavaScript on purpose.
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var ROW = 26;
  var LANE = 130;
  var LABELW = 330;
  var GUTTER = LABELW + 10;
  var MAXLABEL = 46;
  var HEAD = 34;
  var active = null;

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function h(tag, attrs, text, parent) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function plural(n, word) {
    return n + ' ' + word + (n === 1 ? '' : 's');
  }
  function title(node, text) {
    el('title', {}, node).textContent = text;
  }

  function Diagram(data, root) {
    this.d = data;
    this.root = root;
    this.sel = 0;
    this.build();
  }

  Diagram.prototype.laneX = function (k) {
    return k < 0 ? GUTTER - 4 : GUTTER + k * LANE + LANE / 2;
  };
  Diagram.prototype.rowY = function (i) {
    return 12 + i * ROW + ROW / 2;
  };

  Diagram.prototype.build = function () {
    var d = this.d;
    var self = this;
    var root = this.root;
    root.innerHTML = '';
    root.classList.add('diagram');
    h('h2', null, d.title, root);
    if (d.property) {
      var says = d.property.says ? ': ' + d.property.says : '';
      h('div', { class: 'meta' }, d.property.kind + ' ' + d.property.name + says, root);
    }
    if (d.violatedAt !== undefined) {
      var what = d.property ? d.property.name + ' is violated' : 'violated';
      var where = d.loop !== undefined ? ': from step ' + d.loop + ' on, the run repeats its loop for ever (a lasso)' : ' at step ' + d.violatedAt;
      h('div', { class: 'banner', 'data-role': 'violation' }, what + where, root);
    }
    var n = d.events.length;
    h('div', { class: 'meta' }, plural(n - 1, 'step') + ' · ' + plural(d.lanes.length, 'lane') + ' (' + d.lanesFrom + ') · ' + plural(d.messages.length, 'message') + (d.loop !== undefined ? ' · loop from step ' + d.loop : ''), root);
    legend(root);
    h('div', { class: 'hint' }, 'Click a step, or use the arrow keys (↑ ↓ or ← →) to move through the trace.', root);
    var wrap = h('div', { class: 'wrap' }, null, root);
    var scroll = h('div', { class: 'scroll', tabindex: '0' }, null, wrap);
    this.scroll = scroll;
    var clockW = Math.max(180, 30 + 7 * (6 + 3 * d.lanes.length));
    var width = GUTTER + d.lanes.length * LANE + clockW;
    var height = 12 + (n + 1) * ROW + 10;
    var head = h('div', { class: 'lanehead' }, null, scroll);
    var hs = el('svg', { width: width, height: HEAD, 'data-role': 'lanes' }, head);
    d.lanes.forEach(function (name, k) {
      var t = el('text', { x: self.laneX(k), y: 22, 'text-anchor': 'middle', class: 'lane-name', 'data-lane': name }, hs);
      t.textContent = name;
    });
    el('text', { x: 8, y: 22, class: 'step-no' }, hs).textContent = 'step';
    el('text', { x: 36, y: 22, class: 'step-no' }, hs).textContent = 'what happened';
    el('text', { x: GUTTER + d.lanes.length * LANE + 10, y: 22, class: 'step-no' }, hs).textContent = 'Lamport [vector clock]';
    var svg = el('svg', { width: width, height: height, 'data-role': 'diagram' }, scroll);
    this.svg = svg;
    var defs = el('defs', {}, svg);
    var m1 = el('marker', { id: 'arr' + this.uid(), viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#4a5d80' }, m1);
    var m2 = el('marker', { id: 'open' + this.uid(), viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '8', markerHeight: '8', orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M0,0 L10,5 L0,10', fill: 'none', stroke: '#e08a00', 'stroke-width': '1.6' }, m2);
    var m3 = el('marker', { id: 'dup' + this.uid(), viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#7b3fb8' }, m3);

    // Rows: background (selection, violation) and click targets.
    var rows = el('g', {}, svg);
    if (d.violatedAt !== undefined) el('rect', { x: 0, y: this.rowY(d.violatedAt) - ROW / 2, width: '100%', height: ROW, class: 'bad' }, rows);
    this.hl = el('rect', { x: 0, y: this.rowY(0) - ROW / 2, width: '100%', height: ROW, class: 'sel', 'data-role': 'selection' }, rows);
    for (var i = 0; i < n; i++) {
      var r = el('rect', { x: 0, y: this.rowY(i) - ROW / 2, width: '100%', height: ROW, class: 'row', 'data-step': i }, rows);
      r.addEventListener('click', this.clicker(i));
    }
    // Spans: partitions, crashed processes, the loop of a lasso.
    var last = n - 1;
    el('line', { x1: GUTTER - 8, y1: 0, x2: GUTTER - 8, y2: height, stroke: '#e3e7ef' }, svg);
    d.partitions.forEach(function (p) {
      var y0 = self.rowY(p.start);
      var y1 = self.rowY(p.end === null ? last : p.end);
      var g = el('g', { 'data-role': 'partition' }, svg);
      el('rect', { x: GUTTER, y: y0, width: d.lanes.length * LANE, height: Math.max(4, y1 - y0), class: 'partition' }, g);
      el('text', { x: GUTTER + 6, y: y0 + 12, class: 'partition-text' }, g).textContent = p.text + (p.end === null ? ' (not healed)' : '');
    });
    d.down.forEach(function (s) {
      var y0 = self.rowY(s.start);
      var y1 = self.rowY(s.end === null ? last : s.end);
      var g = el('rect', { x: self.laneX(s.lane) - 7, y: y0, width: 14, height: Math.max(4, y1 - y0), class: 'down', 'data-role': 'down' }, svg);
      title(g, s.text);
    });
    if (d.loop !== undefined) {
      var ly = self.rowY(d.loop) - ROW / 2;
      var lg = el('g', { 'data-role': 'loop' }, svg);
      el('rect', { x: 2, y: ly, width: GUTTER - 6, height: (last - d.loop + 1) * ROW, class: 'loop' }, lg);
      el('text', { x: LABELW - 44, y: ly + 14, class: 'loop-text' }, lg).textContent = 'loop ↺';
    }
    // Lanes.
    d.lanes.forEach(function (name, k) {
      el('line', { x1: self.laneX(k), y1: 0, x2: self.laneX(k), y2: height, class: 'lane' }, svg);
    });
    // Messages.
    var mg = el('g', { 'data-role': 'messages' }, svg);
    var uid = this.uid();
    d.messages.forEach(function (m) {
      if (m.from < 0 || m.to < 0) return;
      var x1 = self.laneX(m.from);
      var y1 = self.rowY(m.sendStep);
      var x2 = self.laneX(m.to);
      var cls = 'msg';
      var y2;
      var marker = 'url(#arr' + uid + ')';
      if (m.fate === 'delivered' || m.fate === 'gone') {
        y2 = self.rowY(m.endStep);
      } else if (m.fate === 'dropped') {
        y2 = self.rowY(m.endStep);
        x2 = x1 + (x2 - x1) * 0.6;
        if (x1 === self.laneX(m.to)) x2 = x1 + 30;
        cls += ' dropped';
        marker = '';
      } else {
        y2 = self.rowY(last) + ROW * 0.9;
        cls += ' inflight';
        marker = 'url(#open' + uid + ')';
      }
      if (m.duplicate) {
        cls += ' dup';
        if (marker) marker = 'url(#dup' + uid + ')';
      }
      var attrs = { class: cls, 'data-msg': m.id, 'data-fate': m.fate };
      if (marker) attrs['marker-end'] = marker;
      var line;
      if (x1 === x2) {
        attrs.d = 'M' + x1 + ',' + y1 + ' C' + (x1 + 40) + ',' + y1 + ' ' + (x2 + 40) + ',' + y2 + ' ' + x2 + ',' + y2;
        line = el('path', attrs, mg);
      } else {
        // Start and end at the rim of the event markers, not their centres.
        var len = Math.sqrt((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1)) || 1;
        var ux = (x2 - x1) / len;
        var uy = (y2 - y1) / len;
        var back = m.fate === 'delivered' || m.fate === 'gone' ? 8 : 0;
        attrs.x1 = x1 + ux * 6; attrs.y1 = y1 + uy * 6; attrs.x2 = x2 - ux * back; attrs.y2 = y2 - uy * back;
        line = el('line', attrs, mg);
      }
      title(line, (m.duplicate ? 'duplicate of ' : '') + d.lanes[m.from] + ' → ' + d.lanes[m.to] + ': ' + m.text + ' (' + m.fate + ')');
      if (m.fate === 'dropped') {
        var c = el('g', { class: 'cross', 'data-role': 'lost' }, mg);
        el('line', { x1: x2 - 6, y1: y2 - 6, x2: x2 + 6, y2: y2 + 6, class: 'cross' }, c);
        el('line', { x1: x2 - 6, y1: y2 + 6, x2: x2 + 6, y2: y2 - 6, class: 'cross' }, c);
        title(c, 'lost: ' + m.text);
      }
    });
    // Events and their labels.
    var eg = el('g', {}, svg);
    var lx = 16 + 7 * String(n - 1).length;
    var cx = GUTTER + d.lanes.length * LANE + 10;
    d.events.forEach(function (e) {
      var y = self.rowY(e.i);
      el('text', { x: 8, y: y + 4, class: 'step-no' }, eg).textContent = String(e.i);
      if (e.i > 0) {
        var x = self.laneX(e.lane);
        var shape;
        var cls = 'ev ev-' + (e.lane < 0 ? 'env' : e.kind === 'deliver' ? 'deliver' : e.kind === 'timeout' ? 'timeout' : e.kind === 'crash' ? 'crash' : e.kind === 'restart' ? 'restart' : (e.kind === 'drop' || e.kind === 'duplicate' || e.kind === 'partition' || e.kind === 'heal' || e.kind === 'fault') ? 'env' : 'local');
        if (e.kind === 'crash') shape = el('rect', { x: x - 6, y: y - 6, width: 12, height: 12, class: cls }, eg);
        else if (e.kind === 'restart') shape = el('path', { d: 'M' + (x - 7) + ',' + (y + 6) + ' L' + x + ',' + (y - 7) + ' L' + (x + 7) + ',' + (y + 6) + ' z', class: cls }, eg);
        else if (e.kind === 'timeout' || e.lane < 0 || cls.indexOf('env') >= 0) shape = el('path', { d: 'M' + x + ',' + (y - 7) + ' L' + (x + 7) + ',' + y + ' L' + x + ',' + (y + 7) + ' L' + (x - 7) + ',' + y + ' z', class: cls }, eg);
        else shape = el('circle', { cx: x, cy: y, r: 6, class: cls }, eg);
        shape.setAttribute('data-event', e.i);
        shape.setAttribute('data-kind', e.kind);
        title(shape, e.label);
        shape.addEventListener('click', self.clicker(e.i));
      }
      var t = el('text', { x: lx, y: y + 4, class: 'lbl' + (e.kind === 'drop' || e.kind === 'crash' || e.kind === 'duplicate' || e.kind === 'partition' || e.kind === 'fault' ? ' fault' : '') }, eg);
      t.textContent = e.label.length > MAXLABEL ? e.label.slice(0, MAXLABEL - 1) + '…' : e.label;
      if (e.label.length > MAXLABEL) title(t, e.label);
      t.addEventListener('click', self.clicker(e.i));
      if (e.lane >= 0 && e.kind !== 'drop' && e.kind !== 'duplicate') {
        var ct = el('text', { x: cx, y: y + 4, class: 'clock' }, eg);
        ct.textContent = 'L' + e.lamport + ' [' + e.vc.join(',') + ']';
      }
    });
    var panel = h('aside', { class: 'panel', 'data-role': 'panel' }, null, wrap);
    this.panel = panel;
    var flying = d.messages.filter(function (m) { return m.fate === 'in-flight'; });
    if (flying.length) {
      h('h4', null, 'Still in flight at the end (' + flying.length + ')', root);
      var ul = h('ul', { class: 'inflight-list', 'data-role': 'inflight' }, null, root);
      flying.forEach(function (m) {
        h('li', null, d.lanes[m.from] + ' → ' + d.lanes[m.to] + ': ' + m.text + (m.duplicate ? ' (duplicate)' : '') + ', sent at step ' + m.sendStep, ul);
      });
    }
    scroll.addEventListener('focus', function () { active = self; });
    this.select(d.violatedAt !== undefined ? d.violatedAt : 0, false);
  };

  var uids = 0;
  Diagram.prototype.uid = function () {
    if (this._uid === undefined) this._uid = ++uids;
    return this._uid;
  };
  Diagram.prototype.clicker = function (i) {
    var self = this;
    return function () {
      active = self;
      self.select(i, false);
    };
  };

  Diagram.prototype.select = function (i, scrollTo) {
    var d = this.d;
    if (i < 0 || i >= d.events.length) return;
    this.sel = i;
    this.hl.setAttribute('y', String(this.rowY(i) - ROW / 2));
    if (scrollTo) {
      var y = this.rowY(i) + HEAD;
      var s = this.scroll;
      if (y - ROW * 2 < s.scrollTop + HEAD) s.scrollTop = y - ROW * 3 - HEAD;
      else if (y + ROW * 2 > s.scrollTop + s.clientHeight) s.scrollTop = y + ROW * 3 - s.clientHeight;
    }
    this.showPanel(d.events[i]);
  };

  Diagram.prototype.showPanel = function (e) {
    var d = this.d;
    var p = this.panel;
    p.innerHTML = '';
    h('h3', { 'data-role': 'step-title' }, 'Step ' + e.i + ' of ' + (d.events.length - 1) + ': ' + e.label, p);
    var who = e.lane >= 0 ? d.lanes[e.lane] : 'environment';
    h('div', { class: 'meta' }, e.kind + (e.i > 0 ? ' · ' + who : ''), p);
    if (e.message !== undefined) {
      var m = d.messages[e.message];
      h('div', { class: 'meta' }, 'message ' + d.lanes[m.from] + ' → ' + d.lanes[m.to] + ': ' + m.text + ', sent at step ' + m.sendStep, p);
    }
    if (e.sends.length) {
      h('div', { class: 'meta' }, 'sends: ' + e.sends.map(function (id) { var s = d.messages[id]; return s.text + ' → ' + d.lanes[s.to]; }).join('; '), p);
    }
    if (e.kind === 'drop' || e.kind === 'duplicate') {
      h('h4', null, 'Clocks', p);
      h('div', { class: 'meta' }, 'a fault of the network: no process clock ticks', p);
    } else if (e.lane >= 0) {
      h('h4', null, 'Clocks', p);
      h('div', { 'data-role': 'lamport' }, 'Lamport timestamp ' + e.lamport, p);
      var tb = h('table', { class: 'vc', 'data-role': 'vc' }, null, p);
      var tr1 = h('tr', null, null, tb);
      h('td', null, 'vector clock', tr1);
      h('td', null, '[' + e.vc.join(', ') + ']', tr1);
      d.lanes.forEach(function (name, k) {
        var tr = h('tr', null, null, tb);
        h('td', null, name, tr);
        h('td', k === e.lane ? { style: 'font-weight:700' } : null, String(e.vc[k]), tr);
      });
    }
    h('h4', null, 'What changed', p);
    if (e.i === 0) h('div', { class: 'meta' }, 'the initial state', p);
    else if (!e.changes.length) h('div', { class: 'meta' }, '(no change)', p);
    else h('pre', { 'data-role': 'changes' }, e.changes.join('\n'), p);
    h('h4', null, 'Properties here', p);
    if (!Object.keys(e.props).length) h('div', { class: 'meta' }, '(the spec declares no invariant)', p);
    var ul = h('ul', { 'data-role': 'props' }, null, p);
    Object.keys(e.props).forEach(function (name) {
      var v = e.props[name];
      if (v === null) return;
      h('li', { class: v ? 'prop-ok' : 'prop-bad', 'data-prop': name, 'data-holds': String(v) }, (v ? '✓ ' : '✗ ') + name + (v ? ' holds' : ' is violated'), ul);
    });
    h('h4', null, 'State after this step', p);
    h('pre', { 'data-role': 'state' }, e.state.join('\n'), p);
  };

  function legend(root) {
    var lg = h('div', { class: 'legend' }, null, root);
    var items = [
      ['circle', 'ev-local', 'local step'], ['circle', 'ev-deliver', 'delivery'], ['diamond', 'ev-timeout', 'timeout'],
      ['rect', 'ev-crash', 'crash'], ['tri', 'ev-restart', 'restart'], ['diamond', 'ev-env', 'fault / environment'],
    ];
    items.forEach(function (it) {
      var span = h('span', null, null, lg);
      var s = el('svg', { width: 16, height: 16, class: '' }, span);
      var g = el('g', {}, s);
      if (it[0] === 'circle') el('circle', { cx: 8, cy: 8, r: 5, class: it[1] }, g);
      else if (it[0] === 'rect') el('rect', { x: 3, y: 3, width: 10, height: 10, class: it[1] }, g);
      else if (it[0] === 'tri') el('path', { d: 'M2,13 L8,2 L14,13 z', class: it[1] }, g);
      else el('path', { d: 'M8,1 L15,8 L8,15 L1,8 z', class: it[1] }, g);
      span.appendChild(document.createTextNode(' ' + it[2]));
    });
    var extra = h('span', null, '→ message · ✕ lost message · dashed open arrow: still in flight · dotted: duplicate · shaded band: partition · grey bar: process down', lg);
    void extra;
  }

  function renderReport(rep, root) {
    var sec = h('section', { 'data-role': 'report' }, null, root);
    h('h2', null, 'Model', sec);
    rep.facts.forEach(function (f) { h('div', { class: 'meta' }, f, sec); });
    h('h2', null, 'Properties', sec);
    var tb = h('table', { class: 'props', 'data-role': 'verdicts' }, null, sec);
    rep.verdicts.forEach(function (v) {
      var tr = h('tr', { 'data-prop': v.name }, null, tb);
      h('td', { class: 'v-' + v.verdict }, v.verdict, tr);
      h('td', null, v.name, tr);
      h('td', null, v.sentence, tr);
    });
    if (rep.conclusion) h('div', { class: 'banner ' + rep.conclusionKind }, rep.conclusion, sec);
  }

  function keys(ev) {
    if (!active) return;
    var tag = ev.target && ev.target.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA') return;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowRight') { active.select(active.sel + 1, true); ev.preventDefault(); }
    else if (ev.key === 'ArrowUp' || ev.key === 'ArrowLeft') { active.select(active.sel - 1, true); ev.preventDefault(); }
    else if (ev.key === 'Home') { active.select(0, true); ev.preventDefault(); }
    else if (ev.key === 'End') { active.select(active.d.events.length - 1, true); ev.preventDefault(); }
  }

  function renderAll(data) {
    var main = document.getElementById('tsmc-main');
    main.innerHTML = '';
    if (data.report) renderReport(data.report, main);
    var diagrams = [];
    data.diagrams.forEach(function (dd) {
      var sec = h('section', { 'data-role': 'trace' }, null, main);
      diagrams.push(new Diagram(dd, sec));
    });
    if (!data.diagrams.length && data.report) h('div', { class: 'meta' }, 'No counterexample to draw.', main);
    active = diagrams[0] || null;
    return diagrams;
  }

  window.tsmc = { renderAll: renderAll, Diagram: Diagram };
  document.addEventListener('keydown', keys);
  var node = document.getElementById('tsmc-data');
  if (node && node.textContent.trim()) renderAll(JSON.parse(node.textContent));
})();
