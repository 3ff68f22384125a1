// negotrack report: draws the data embedded in this file. It computes no state: the state as of each date
// is the one negotrack's fold computed (contract section 5), looked up here by date. Every text from a
// source is inserted with textContent, never as markup.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('report-data').textContent);
  var S = D.states;
  var NS = 'http://www.w3.org/2000/svg';
  var DAY = 86400000;
  var OPEN_ITEMS = 30;  // an issue with more items on the table shows them folded
  var MAX_MARKERS = 600;  // more events than this in view: drawn per week, month or year
  var CELL = 18, PAD = 10, LANE = 30, LABEL_W = window.innerWidth < 700 ? 64 : 150, AXIS_H = 36;
  var TYPES = {
    PositionStated: ['circle', '#5c6bc0', 'position stated'],
    DemandIssued: ['square', '#e65100', 'demand'],
    ProposalTabled: ['diamond', '#1565c0', 'proposal'],
    ConcessionMade: ['tri-down', '#2e7d32', 'concession'],
    GuaranteeOffered: ['pentagon', '#00838f', 'guarantee'],
    ThreatIssued: ['tri-up', '#b71c1c', 'threat'],
    Accepted: ['check', '#2e7d32', 'accepted'],
    Rejected: ['cross', '#c62828', 'rejected'],
    Withdrawn: ['minus', '#607d8b', 'withdrawn'],
    AgreementReached: ['star', '#b8860b', 'agreement']
  };
  var STANCES = ['supports', 'opposes', 'conditional', 'undecided'];
  var STANCE_COLOURS = {supports: '#2e7d32', opposes: '#c62828', conditional: '#e0a100', undecided: '#6d7f8f'};

  // ---------------------------------------------------------------- helpers
  function h(tag, attrs) {
    var node = document.createElement(tag);
    setAll(node, attrs);
    for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
    return node;
  }
  function s(tag, attrs) {
    var node = document.createElementNS(NS, tag);
    setAll(node, attrs);
    for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
    return node;
  }
  function setAll(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') node.textContent = v;
      else if (k === 'on') Object.keys(v).forEach(function (e) { node.addEventListener(e, v[e]); });
      else node.setAttribute(k, v === true ? '' : String(v));
    });
  }
  function add(node) {  // add(node, kid, ...): kids are nodes, strings (as text) or lists of them
    for (var i = 1; i < arguments.length; i++) {
      var kid = arguments[i];
      if (kid === null || kid === undefined || kid === false) continue;
      if (Array.isArray(kid)) kid.forEach(function (k) { add(node, k); });
      else node.appendChild(typeof kid === 'string' ? document.createTextNode(kid) : kid);
    }
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function dayOf(iso) { return Math.round(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY); }
  function isoOf(day) { return new Date(day * DAY).toISOString().slice(0, 10); }
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function monthStart(day) { var d = new Date(day * DAY); return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY); }
  function nextMonth(day) { var d = new Date(day * DAY); return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY); }
  function yearStart(day) { return Math.round(Date.UTC(new Date(day * DAY).getUTCFullYear(), 0, 1) / DAY); }
  function nextYear(day) { return Math.round(Date.UTC(new Date(day * DAY).getUTCFullYear() + 1, 0, 1) / DAY); }
  function weekStart(day) { return day - ((new Date(day * DAY).getUTCDay() + 6) % 7); }  // Monday
  function bsearch(arr, x) {  // index of the last element <= x, or -1
    var lo = 0, hi = arr.length - 1, ans = -1;
    while (lo <= hi) { var mid = (lo + hi) >> 1; if (arr[mid] <= x) { ans = mid; lo = mid + 1; } else hi = mid - 1; }
    return ans;
  }

  var partyIndex = {}, partyName = {}, actorName = {};
  D.parties.forEach(function (p, i) {
    partyIndex[p.id] = i; partyName[p.id] = p.name;
    p.actors.forEach(function (a) { actorName[a.id] = a.name; });
  });
  var issueTitle = {};
  D.issues.forEach(function (i) { issueTitle[i.id] = i.title; });
  var events = D.events;
  events.forEach(function (e, i) { e.n = i; e.day = dayOf(e.d); });
  var eventIndex = null;
  function indexOfEvent(id) {
    if (!eventIndex) { eventIndex = new Map(); events.forEach(function (e) { eventIndex.set(e.id, e.n); }); }
    return eventIndex.has(id) ? eventIndex.get(id) : -1;
  }
  var detailCache = {};
  function detailOf(n) {  // lazy: a block of details is parsed the first time one of its events is opened
    var chunk = Math.floor(n / D.detail_chunk);
    if (!detailCache[chunk]) detailCache[chunk] = JSON.parse(document.getElementById('detail-' + chunk).textContent);
    return detailCache[chunk][n % D.detail_chunk];
  }
  function who(e) {
    if (e.t === 'AgreementReached') return (e.ps || []).join(', ');
    var party = e.p || '';
    return e.a ? party + ' (' + (actorName[e.a] || e.a) + ')' : party;
  }
  function spanOf(e) {  // the days a week, month or (contract v1.1) year precision covers: [start, end)
    if (e.pr === 'week') { var w = weekStart(e.day); return [w, w + 7]; }
    if (e.pr === 'month') return [monthStart(e.day), nextMonth(e.day)];
    if (e.pr === 'year') return [yearStart(e.day), nextYear(e.day)];
    return null;
  }
  function lanesOf(e) {
    if (e.p !== null && e.p !== undefined && partyIndex[e.p] !== undefined) return [partyIndex[e.p]];
    var ls = (e.ps || []).map(function (p) { return partyIndex[p]; }).filter(function (x) { return x !== undefined; });
    return ls.length ? ls : [0];
  }

  // ---------------------------------------------------------------- states (looked up, never computed)
  var dateDays = S.dates.map(dayOf);
  function stateRowAt(day) {
    var i = bsearch(dateDays, day);
    return i < 0 ? S.initial : S.by_date[i];
  }
  function issueStateAt(day, k) { return S.issue_states[stateRowAt(day)[k]]; }
  function itemsOf(st) {  // the item states of an issue state: kept whole, or as changes from one kept whole
    if (st.items) return st.items;
    var items = S.issue_states[st.base].items.slice();
    st.set.forEach(function (c) { items[c[0]] = c[1]; });
    return items.concat(st.add);
  }

  // ---------------------------------------------------------------- header
  function header() {
    var head = document.getElementById('head');
    var first = events.length ? events[0].d : null, last = events.length ? events[events.length - 1].d : null;
    var spanFrom = D.from || first, spanTo = D.to || last;
    var nSources = Object.keys(D.sources).length;
    var nRetracted = Object.keys(D.retractions).length;
    add(head, h('h1', {text: D.thread.title}));
    var meta = ['thread ' + D.thread.id, events.length + ' event' + (events.length === 1 ? '' : 's'),
      nSources + ' source' + (nSources === 1 ? '' : 's')];
    if (nRetracted) meta.push(nRetracted + ' retraction' + (nRetracted === 1 ? '' : 's'));
    meta.push(spanFrom ? spanFrom + ' to ' + spanTo : 'no events', 'made ' + D.made_at);
    add(head, h('p', {class: 'meta', text: meta.join(' \u00b7 ')}));
    if (D.known_at) {
      add(head, h('p', {class: 'known-at', id: 'known-at'},
        'As known at ' + D.known_at + ': only what had been recorded by then is shown.'));
    }
    if (D.issue_filter.length || D.from || D.to) {
      var bits = [];
      if (D.issue_filter.length) bits.push('issues: ' + D.issue_filter.join(', '));
      if (D.from) bits.push('from ' + D.from);
      if (D.to) bits.push('to ' + D.to);
      add(head, h('p', {class: 'filters', text: 'This report shows ' + bits.join('; ') + '.'}));
    }
    var parties = h('ul', null, D.parties.map(function (p) {
      var actors = p.actors.map(function (a) { return a.name + (a.role ? ', ' + a.role : ''); }).join('; ');
      return h('li', {'data-party': p.id}, h('b', {text: p.id}), ' ' + p.name,
        actors ? h('span', {class: 'sub', text: ' (' + actors + ')'}) : null);
    }));
    var issues = h('ul', null, D.issues.map(function (i) {
      return h('li', {'data-issue': i.id}, h('b', {text: i.title}), h('span', {class: 'sub', text: ' ' + i.id}),
        i.proposition ? h('div', {class: 'sub', text: 'Proposition: ' + i.proposition}) : null);
    }));
    add(head, h('div', {class: 'decls'},
      h('div', null, h('h2', {text: 'Parties'}), parties),
      h('div', null, h('h2', {text: 'Issues'}), issues)));
  }

  // ---------------------------------------------------------------- the x axis: columns of dates, gaps compressed
  var view = null;  // {lo, hi, mode, columns, anchors, width}
  function gapWidth(days) { return days <= 1 ? 4 : Math.min(90, 8 + 12 * Math.log2(days)); }
  function layout(lo, hi) {
    var inView = events.filter(function (e) { return e.day >= lo && e.day <= hi; });
    var mode = 'day';
    if (inView.length > MAX_MARKERS) {
      var weeks = new Set(inView.map(function (e) { return weekStart(e.day); })).size;
      var months = new Set(inView.map(function (e) { return monthStart(e.day); })).size;
      mode = weeks <= 160 ? 'week' : months <= 200 ? 'month' : 'year';
    }
    var binOf = mode === 'day' ? function (d) { return [d, d + 1]; }
      : mode === 'week' ? function (d) { var w = weekStart(d); return [w, w + 7]; }
      : mode === 'month' ? function (d) { return [monthStart(d), nextMonth(d)]; }
      : function (d) { return [yearStart(d), nextYear(d)]; };
    var cols = [], byStart = new Map();
    inView.forEach(function (e) {
      var b = binOf(e.day);
      var c = byStart.get(b[0]);
      if (!c) { c = {start: b[0], end: b[1], events: [], lanes: {}}; byStart.set(b[0], c); cols.push(c); }
      c.events.push(e);
      lanesOf(e).forEach(function (l) { c.lanes[l] = (c.lanes[l] || 0) + 1; });
    });
    cols.sort(function (a, b) { return a.start - b.start; });
    var gaps = cols.map(function (c, i) { return i ? gapWidth(c.start - cols[i - 1].end + 1) : 0; });
    cols.forEach(function (c) {
      var most = Math.max.apply(null, Object.keys(c.lanes).map(function (k) { return c.lanes[k]; }));
      c.w = mode === 'day' ? most * CELL + PAD : 40;
    });
    // Wider than the window: the gaps between dates shrink first (to 4 px), then the page scrolls.
    var natural = LABEL_W + 32 + cols.reduce(function (t, c, i) { return t + c.w + gaps[i]; }, 0);
    var room = (timelineBox.clientWidth || window.innerWidth) - 2;
    var spare = gaps.reduce(function (t, g) { return t + Math.max(0, g - 4); }, 0);
    var shrink = natural > room && spare > 0 ? Math.max(0, 1 - (natural - room) / spare) : 1;
    var x = LABEL_W + 8, anchors = [];
    cols.forEach(function (c, i) {
      if (i > 0) x += gaps[i] > 4 ? 4 + (gaps[i] - 4) * shrink : gaps[i];
      c.x = x;
      anchors.push([c.start, x], [c.end, x + c.w]);
      x += c.w;
    });
    if (!cols.length) anchors.push([lo, x], [hi + 1, x + 200]);
    return {lo: lo, hi: hi, mode: mode, columns: cols, anchors: anchors, width: Math.max(x + 24, room, 320), count: inView.length};
  }
  function xOf(day) {
    var a = view.anchors;
    if (day <= a[0][0]) return a[0][1] - Math.min(30, (a[0][0] - day) * 0.5);
    var last = a[a.length - 1];
    if (day >= last[0]) return last[1] + Math.min(20, (day - last[0]) * 0.5);
    var lo = 0, hi = a.length - 1;
    while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (a[mid][0] <= day) lo = mid; else hi = mid; }
    var p = a[lo], q = a[hi];
    if (q[0] === p[0]) return q[1];
    return p[1] + (q[1] - p[1]) * (day - p[0]) / (q[0] - p[0]);
  }

  // ---------------------------------------------------------------- shapes
  function shape(type, cx, cy, r) {
    var kind = (TYPES[type] || TYPES.PositionStated)[0], colour = (TYPES[type] || TYPES.PositionStated)[1];
    var fill = {fill: colour, stroke: '#fff', 'stroke-width': 1.2, class: 'shape'};
    var ring = {fill: '#fff', stroke: colour, 'stroke-width': 2.2, class: 'shape'};
    function poly(points) { return points.map(function (p) { return (cx + p[0] * r).toFixed(1) + ',' + (cy + p[1] * r).toFixed(1); }).join(' '); }
    switch (kind) {
      case 'circle': return s('circle', Object.assign({cx: cx, cy: cy, r: r * 0.85}, fill));
      case 'square': return s('rect', Object.assign({x: cx - r * 0.78, y: cy - r * 0.78, width: r * 1.56, height: r * 1.56}, fill));
      case 'diamond': return s('polygon', Object.assign({points: poly([[0, -1.05], [1.05, 0], [0, 1.05], [-1.05, 0]])}, fill));
      case 'tri-down': return s('polygon', Object.assign({points: poly([[-1, -0.8], [1, -0.8], [0, 1]])}, fill));
      case 'tri-up': return s('polygon', Object.assign({points: poly([[-1, 0.8], [1, 0.8], [0, -1]])}, fill));
      case 'pentagon': return s('polygon', Object.assign({points: poly([[0, -1], [0.95, -0.3], [0.6, 0.85], [-0.6, 0.85], [-0.95, -0.3]])}, fill));
      case 'star': return s('polygon', Object.assign({points: poly([[0, -1.1], [0.3, -0.35], [1.05, -0.35], [0.45, 0.12], [0.68, 0.9], [0, 0.42], [-0.68, 0.9], [-0.45, 0.12], [-1.05, -0.35], [-0.3, -0.35]])}, fill));
      default: {
        var g = s('g', null, s('circle', Object.assign({cx: cx, cy: cy, r: r * 0.8}, ring)));
        var d = kind === 'check' ? 'M' + (cx - r * 0.4) + ',' + cy + ' l' + r * 0.3 + ',' + r * 0.32 + ' l' + r * 0.5 + ',-' + r * 0.65
          : kind === 'cross' ? 'M' + (cx - r * 0.38) + ',' + (cy - r * 0.38) + ' l' + r * 0.76 + ',' + r * 0.76 + ' m0,-' + r * 0.76 + ' l-' + r * 0.76 + ',' + r * 0.76
          : 'M' + (cx - r * 0.4) + ',' + cy + ' h' + r * 0.8;
        add(g, s('path', {d: d, stroke: colour, 'stroke-width': 2.2, fill: 'none'}));
        return g;
      }
    }
  }
  function legend() {
    var box = document.getElementById('legend');
    Object.keys(TYPES).forEach(function (t) {
      add(box, h('span', null, s('svg', {viewBox: '0 0 14 14', 'aria-hidden': 'true'}, shape(t, 7, 7, 6)), TYPES[t][2]));
    });
    add(box, h('span', null, s('svg', {viewBox: '0 0 14 14', 'aria-hidden': 'true'},
      s('rect', {x: 0, y: 4, width: 14, height: 6, fill: '#5c6bc0', opacity: 0.3})), 'week or month precision'));
    add(box, h('span', null, s('svg', {viewBox: '0 0 14 14', 'aria-hidden': 'true'},
      s('circle', {cx: 7, cy: 7, r: 5, fill: '#5c6bc0', opacity: 0.45}), s('line', {x1: 1, y1: 13, x2: 13, y2: 1, class: 'strike'})), 'retracted'));
    STANCES.forEach(function (st) {
      var sw = h('i', {class: 'sw'}); sw.style.background = STANCE_COLOURS[st];
      add(box, h('span', null, sw, st));
    });
    var none = h('i', {class: 'sw'}); none.style.background = '#eceff1';
    add(box, h('span', null, none, 'no stance'));
  }

  // ---------------------------------------------------------------- the timeline
  var timelineBox = document.getElementById('timeline'), bandsBox = document.getElementById('bands');
  var markers = [];  // [{node, e}] in time order
  var focusIndex = 0, selected = -1;
  function axis(svg, y0, height) {
    var g = s('g', {class: 'axis'});
    var lastX = -1e9, lastYear = null, lastMonthX = -1e9;
    view.columns.forEach(function (c, i) {
      if (i > 0 && c.start - view.columns[i - 1].end > 60) {
        var gx = (view.columns[i - 1].x + view.columns[i - 1].w + c.x) / 2;
        add(g, s('line', {x1: gx, y1: y0 + 4, x2: gx, y2: height, class: 'gap'}));
      }
      var d = new Date(c.start * DAY), year = d.getUTCFullYear();
      if (year !== lastYear && c.x - lastX > 34) {
        add(g, s('text', {x: c.x, y: y0 + 13, class: 'year', text: String(year)}));
        lastYear = year; lastX = c.x;
      }
      var label = view.mode === 'year' ? '' : view.mode === 'month' ? MONTHS[d.getUTCMonth()]
        : MONTHS[d.getUTCMonth()] + ' ' + d.getUTCDate();
      if (label && c.x - lastMonthX > 46) {
        add(g, s('text', {x: c.x, y: y0 + 28, text: label}));
        lastMonthX = c.x;
      }
    });
    add(svg, g);
  }
  function stickyLabels(svg, rows, height) {
    var g = s('g', {class: 'labels'});
    add(g, s('rect', {x: 0, y: 0, width: LABEL_W, height: height}));
    rows.forEach(function (r) {
      var t = s('text', {x: 8, y: r.y}, s('tspan', {class: r.cls || '', text: r.text}), r.title ? s('title', {text: r.title}) : null);
      if (r.note) add(t, s('tspan', {class: 'note', dx: 12, text: r.note}));
      add(g, t);
    });
    add(svg, g);
    return g;
  }
  function drawTimeline() {
    clear(timelineBox);
    markers = [];
    var nLanes = D.parties.length, height = AXIS_H + nLanes * LANE + 8;
    var svg = s('svg', {width: view.width, height: height, viewBox: '0 0 ' + view.width + ' ' + height,
      role: 'group', 'aria-label': 'Timeline: one lane per party', id: 'timeline-svg'});
    D.parties.forEach(function (p, i) {
      add(svg, s('rect', {class: 'lane-bg lane' + (i % 2 ? ' odd' : ''), 'data-party': p.id, x: 0, y: AXIS_H + i * LANE, width: view.width, height: LANE}));
    });
    axis(svg, 0, height);
    var spans = s('g', {class: 'spans'}), layer = s('g', {class: 'markers'});
    add(svg, spans); add(svg, layer);
    if (view.mode === 'day') {
      view.columns.forEach(function (c) {
        var slot = {};
        c.events.forEach(function (e) {
          var lanes = lanesOf(e), first = Math.min.apply(null, lanes), lastL = Math.max.apply(null, lanes);
          var k = Math.max.apply(null, lanes.map(function (l) { return slot[l] || 0; }));
          lanes.forEach(function (l) { slot[l] = k + 1; });
          var cx = c.x + PAD / 2 + k * CELL + CELL / 2;
          var sp = spanOf(e);
          if (sp) {
            var colour = (TYPES[e.t] || TYPES.PositionStated)[1];
            add(spans, s('rect', {class: 'span', 'data-event': e.id, x: xOf(sp[0]), y: AXIS_H + first * LANE + 9,
              width: Math.max(4, xOf(sp[1]) - xOf(sp[0])), height: LANE - 18, rx: 3, fill: colour}));
          }
          var out = e.x || e.xa;
          var label = e.d + (e.pr ? ' (' + e.pr + ')' : '') + ', ' + (TYPES[e.t] ? TYPES[e.t][2] : e.t) + ' by ' + who(e) +
            ': ' + (e.s || '') + (out ? ' (retracted)' : '');
          var g = s('g', {class: 'marker' + (out ? ' retracted' : ''), 'data-event': e.id, 'data-type': e.t,
            'data-party': e.p || (e.ps || []).join(' '), tabindex: -1, role: 'button', 'aria-label': label});
          if (lastL > first) {
            add(g, s('line', {x1: cx, x2: cx, y1: AXIS_H + first * LANE + LANE / 2, y2: AXIS_H + lastL * LANE + LANE / 2,
              stroke: '#b8860b', 'stroke-width': 2}));
            lanes.forEach(function (l) { add(g, shape(e.t, cx, AXIS_H + l * LANE + LANE / 2, 7)); });
          } else {
            add(g, shape(e.t, cx, AXIS_H + first * LANE + LANE / 2, 7));
          }
          if (out) {
            var cy = AXIS_H + first * LANE + LANE / 2;
            add(g, s('line', {class: 'strike', x1: cx - 8, y1: cy + 8, x2: cx + 8, y2: cy - 8}));
          }
          g.addEventListener('click', function () { focusMarker(markers.length && markerPos(e.n), false); openDetail(e.n); });
          g.addEventListener('mouseenter', function (ev) { showTip(e, ev.clientX, ev.clientY); });
          g.addEventListener('mouseleave', hideTip);
          g.addEventListener('focus', function () { var r = g.getBoundingClientRect(); showTip(e, r.right, r.bottom); });
          g.addEventListener('blur', hideTip);
          add(layer, g);
          markers.push({node: g, e: e});
        });
      });
      markers.sort(function (a, b) { return a.e.n - b.e.n; });
      if (markers.length) { focusIndex = Math.min(focusIndex, markers.length - 1); markers[focusIndex].node.setAttribute('tabindex', '0'); }
    } else {
      view.columns.forEach(function (c) {
        Object.keys(c.lanes).forEach(function (l) {
          var n = c.lanes[l], y = AXIS_H + l * LANE;
          var g = s('g', {class: 'bin', tabindex: markers.length ? -1 : 0, role: 'button', 'data-party': D.parties[l].id,
            'aria-label': n + ' events by ' + D.parties[l].id + ', ' + isoOf(c.start) + ' to ' + isoOf(c.end - 1) + ': press Enter to zoom in'});
          var bw = c.w - 6, bh = Math.max(6, Math.min(LANE - 6, 6 + 3 * Math.log2(n + 1)));
          add(g, s('rect', {x: c.x + 3, y: y + (LANE - bh) / 2, width: bw, height: bh, rx: 3}));
          add(g, s('text', {x: c.x + c.w / 2, y: y + LANE / 2 + 3.5, text: String(n)}));
          var zoom = function () { setView(c.start, c.end - 1); };
          g.addEventListener('click', zoom);
          g.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); zoom(); } });
          add(layer, g);
          markers.push({node: g, bin: c});
        });
      });
    }
    add(svg, s('rect', {class: 'after', id: 'timeline-after', x: 0, y: AXIS_H, width: 0, height: nLanes * LANE}));
    add(svg, s('line', {class: 'asof-line', id: 'timeline-asof', x1: 0, x2: 0, y1: 0, y2: height}));
    var rows = D.parties.map(function (p, i) {
      return {y: AXIS_H + i * LANE + LANE / 2 + 4, text: LABEL_W < 100 ? p.id : p.id + '  ' + p.name, title: p.name};
    });
    stickyLabels(svg, rows, height);
    add(timelineBox, svg);
    svg.addEventListener('keydown', onTimelineKey);
    var note = view.mode === 'day' ? view.count + ' events, one marker each'
      : view.count + ' events, counted per ' + view.mode + ' (click a count to zoom in)';
    document.getElementById('zoom-note').textContent = isoOf(view.lo) + ' to ' + isoOf(view.hi) + ': ' + note;
  }
  function markerPos(n) {
    for (var i = 0; i < markers.length; i++) if (markers[i].e && markers[i].e.n === n) return i;
    return -1;
  }
  function focusMarker(i, moveFocus) {
    if (i < 0 || i >= markers.length) return;
    markers.forEach(function (m) { m.node.setAttribute('tabindex', '-1'); });
    focusIndex = i;
    markers[i].node.setAttribute('tabindex', '0');
    if (moveFocus !== false) {
      markers[i].node.focus();
      var r = markers[i].node.getBoundingClientRect(), box = timelineBox.getBoundingClientRect();
      if (r.left < box.left + LABEL_W || r.right > box.right) timelineBox.scrollLeft += r.left - box.left - box.width / 2;
    }
  }
  function onTimelineKey(ev) {
    if (!markers.length) return;
    var i = focusIndex, e = markers[i].e, j = -1;
    if (!e) {  // counts per week, month or year: arrows move between them, Enter zooms in (the count's own key)
      if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') j = i + 1;
      else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') j = i - 1;
      else if (ev.key === 'Home') j = 0;
      else if (ev.key === 'End') j = markers.length - 1;
      else return;
      ev.preventDefault();
      if (j >= 0 && j < markers.length) focusMarker(j);
      return;
    }
    if (ev.key === 'ArrowRight') j = i + 1;
    else if (ev.key === 'ArrowLeft') j = i - 1;
    else if (ev.key === 'Home') j = 0;
    else if (ev.key === 'End') j = markers.length - 1;
    else if (ev.key === 'ArrowUp' || ev.key === 'ArrowDown') {
      var lane = lanesOf(e)[0] + (ev.key === 'ArrowUp' ? -1 : 1), best = Infinity;
      markers.forEach(function (m, k) {
        if (lanesOf(m.e).indexOf(lane) >= 0 && Math.abs(m.e.day - e.day) + Math.abs(k - i) / 1e6 < best) {
          best = Math.abs(m.e.day - e.day) + Math.abs(k - i) / 1e6; j = k;
        }
      });
    } else if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); openDetail(e.n); return; }
    else return;
    ev.preventDefault();
    if (j >= 0 && j < markers.length) focusMarker(j);
  }

  // ---------------------------------------------------------------- stance bands
  var BAND = 16, ISSUE_H = 24;
  function bandSegments(k) {  // per party: [[startDay, stance|null, event]] from the states, date by date
    var seg = {}, prev = {};
    function look(stateIdx, day) {
      var st = S.issue_states[stateIdx].stances;
      Object.keys(st).forEach(function (p) {
        var v = S.stances[st[p]];
        if (!prev[p] || prev[p] !== v[0]) { (seg[p] = seg[p] || []).push([day, v[0], v[2]]); prev[p] = v[0]; }
      });
    }
    look(S.initial[k], -1e9);
    S.by_date.forEach(function (row, i) { look(row[k], dateDays[i]); });
    return seg;
  }
  var bandCache = null;
  function drawBands() {
    clear(bandsBox);
    if (!bandCache) bandCache = D.issues.map(function (_, k) { return bandSegments(k); });
    var rows = [], y = AXIS_H, body = [];
    var right = view.width - 16;
    D.issues.forEach(function (issue, k) {
      var seg = bandCache[k];
      var parties = D.parties.map(function (p) { return p.id; }).filter(function (p) { return seg[p]; });
      var silent = D.parties.map(function (p) { return p.id; }).filter(function (p) { return !seg[p]; });
      rows.push({y: y + 16, text: LABEL_W < 100 ? issue.id : issue.title, cls: 'issue-title', title: issue.title,
        note: silent.length ? 'no stance recorded: ' + silent.join(', ') : ''});
      y += ISSUE_H;
      parties.forEach(function (p) {
        var g = s('g', {class: 'band', 'data-issue': issue.id, 'data-party': p});
        add(g, s('rect', {class: 'none-row', x: LABEL_W, y: y + 1, width: right - LABEL_W, height: BAND - 2}));
        seg[p].forEach(function (sg, i) {
          var x0 = Math.max(LABEL_W, sg[0] < -1e8 ? LABEL_W : xOf(sg[0]));
          var x1 = i + 1 < seg[p].length ? xOf(seg[p][i + 1][0]) : right;
          x1 = Math.min(right, x1);
          if (x1 <= x0 || !sg[1]) return;
          var r = s('rect', {class: 'seg', 'data-stance': sg[1], 'data-from': sg[0] < -1e8 ? '' : isoOf(sg[0]),
            x: x0, y: y + 1, width: x1 - x0, height: BAND - 2, fill: STANCE_COLOURS[sg[1]]},
            s('title', {text: p + ' ' + sg[1] + (sg[0] > -1e8 ? ' from ' + isoOf(sg[0]) : '') + ' (' + sg[2] + ')'}));
          r.addEventListener('click', function () { var n = indexOfEvent(sg[2]); if (n >= 0) openDetail(n); });
          add(g, r);
          if (x1 - x0 > 70) add(g, s('text', {class: 'seg-text' + (sg[1] === 'conditional' ? ' dark' : ''), x: x0 + 4, y: y + BAND - 4, text: sg[1]}));
        });
        body.push(g);
        rows.push({y: y + BAND - 4, text: '   ' + p, title: partyName[p] || p});
        y += BAND;
      });
      y += 6;
    });
    var height = y + 6;
    var svg = s('svg', {width: view.width, height: height, viewBox: '0 0 ' + view.width + ' ' + height,
      role: 'img', 'aria-label': 'Stance bands: each party\'s stance on each issue over time', id: 'bands-svg'});
    axis(svg, 0, height);
    add(svg, body);
    add(svg, s('rect', {class: 'after', id: 'bands-after', x: 0, y: AXIS_H, width: 0, height: height - AXIS_H}));
    add(svg, s('line', {class: 'asof-line', id: 'bands-asof', x1: 0, x2: 0, y1: 0, y2: height}));
    stickyLabels(svg, rows, height);
    add(bandsBox, svg);
  }
  function syncLabels(box) {
    var g = box.querySelector('.labels');
    if (g) g.setAttribute('transform', 'translate(' + box.scrollLeft + ',0)');
  }
  var syncing = false;
  [timelineBox, bandsBox].forEach(function (box) {
    box.addEventListener('scroll', function () {
      syncLabels(box);
      if (syncing) return;
      syncing = true;
      var other = box === timelineBox ? bandsBox : timelineBox;
      if (other.scrollLeft !== box.scrollLeft) other.scrollLeft = box.scrollLeft;
      syncLabels(other);
      syncing = false;
    });
  });

  // ---------------------------------------------------------------- the "as of" control and the state panel
  var range = document.getElementById('asof-range'), dateInput = document.getElementById('asof-date');
  var asOfDay = null;
  var firstDay = events.length ? events[0].day : (dateDays[0] || dayOf(D.made_at.slice(0, 10)));
  var lastDay = events.length ? events[events.length - 1].day : firstDay;
  if (dateDays.length) lastDay = Math.max(lastDay, dateDays[dateDays.length - 1]);
  var minDay = D.from ? dayOf(D.from) : Math.min(firstDay, dateDays.length ? dateDays[0] : firstDay);
  var maxDay = D.to ? dayOf(D.to) : lastDay;
  range.max = String(Math.max(0, dateDays.length - 1));
  dateInput.min = isoOf(minDay); dateInput.max = isoOf(maxDay);
  range.addEventListener('input', function () { if (dateDays.length) setAsOf(dateDays[+range.value], 'range'); });
  dateInput.addEventListener('change', function () { if (dateInput.value) setAsOf(dayOf(dateInput.value), 'date'); });
  dateInput.addEventListener('input', function () { if (dateInput.value && dateInput.value.length === 10) setAsOf(dayOf(dateInput.value), 'date'); });
  document.getElementById('asof-prev').addEventListener('click', function () { step(-1); });
  document.getElementById('asof-next').addEventListener('click', function () { step(1); });
  function step(dir) {
    var i = bsearch(dateDays, asOfDay);
    var j = dir < 0 ? (dateDays[i] === asOfDay ? i - 1 : i) : i + 1;
    if (j >= 0 && j < dateDays.length) setAsOf(dateDays[j], 'step');
  }
  function eventButton(id) {
    var n = indexOfEvent(id);
    if (n < 0) return h('code', {text: id});
    return h('button', {type: 'button', class: 'linkish', 'data-open': id, text: id, on: {click: function () { openDetail(n); }}});
  }
  function setAsOf(day, from) {
    asOfDay = day;
    var iso = isoOf(day);
    if (from !== 'date') dateInput.value = iso;
    var i = bsearch(dateDays, day);
    if (from !== 'range') range.value = String(Math.max(0, i));
    range.setAttribute('aria-valuetext', iso);
    var note = i < 0 ? 'before the first change' : dateDays[i] === day ? 'something changed on this date'
      : 'last change ' + S.dates[i];
    document.getElementById('asof-note').textContent = note + ' (' + dateDays.length + ' dates on which something changed)';
    document.getElementById('state-when').textContent = 'as of ' + iso + (D.known_at ? ', as known at ' + D.known_at : '');
    drawState(day);
    placeAsOfLine(true);
  }
  function placeAsOfLine(reveal) {
    if (asOfDay === null || !view) return;
    var x = xOf(asOfDay + 1);
    var box = timelineBox, seen = box.scrollLeft + LABEL_W, width = box.clientWidth - LABEL_W;
    if (reveal && width > 0 && (x < seen || x > seen + width)) box.scrollLeft = Math.max(0, x - LABEL_W - width * 0.7);
    ['timeline', 'bands'].forEach(function (which) {
      var line = document.getElementById(which + '-asof'), after = document.getElementById(which + '-after');
      if (!line) return;
      line.setAttribute('x1', x); line.setAttribute('x2', x);
      after.setAttribute('x', x); after.setAttribute('width', Math.max(0, view.width - x));
    });
  }
  function responseText(party, r) {
    var what = r[0] === 'accepted' && r[1] === 'in_principle' ? 'accepted in principle' : r[0];
    return [h('b', {text: party}), ' ' + what + ' (' + r[2] + ', ', eventButton(r[3]), ')'];
  }
  function drawState(day) {
    var box = document.getElementById('state');
    clear(box);
    var grid = h('div', {class: 'state-grid'});
    D.issues.forEach(function (issue, k) {
      var st = issueStateAt(day, k);
      var card = h('article', {class: 'issue', 'data-issue': issue.id});
      add(card, h('h3', null, issue.title + ' ', h('span', {class: 'status', 'data-status': st.status, text: st.status})));
      if (issue.proposition) add(card, h('p', {class: 'prop', text: issue.proposition}));
      if (st.last_event) add(card, h('div', {class: 'last'}, 'last event: ', eventButton(st.last_event[0]), ' (' + st.last_event[1] + ')'));
      if (st.agreement) {
        var ag = st.agreement;
        add(card, h('div', {class: 'agreement', 'data-agreement': ag.event}, h('b', {text: 'Agreed '}),
          'by ' + ag.parties.join(', ') + ' on ' + ag.date + ': ' + (ag.terms || '') + ' (', eventButton(ag.event), ')'));
      }
      add(card, h('h4', {text: 'Stances'}));
      var parties = Object.keys(st.stances);
      if (!parties.length) add(card, h('p', {class: 'empty', text: 'no party has a stance'}));
      else add(card, h('ul', {class: 'stances'}, parties.map(function (p) {
        var v = S.stances[st.stances[p]];  // [stance, since, event]
        return h('li', {'data-party': p, 'data-stance': v[0]}, h('b', {text: p}), ' ', h('span', {class: 'stance', 'data-stance': v[0], text: v[0]}),
          ' since ' + v[1] + ' (', eventButton(v[2]), ')');
      })));
      var items = itemsOf(st);
      // A long list starts folded (the page stays quick on a long thread); it is all there, one click away.
      var table = h('details', {class: 'table', open: items.length <= OPEN_ITEMS},
        h('summary', null, h('h4', {text: 'On the table (' + items.length + ')'})));
      add(card, table);
      if (!items.length) add(table, h('p', {class: 'empty', text: 'nothing'}));
      else add(table, h('ul', {class: 'items'}, items.map(function (idx) {
        var is = S.item_states[idx], info = S.item_info[is[0]];
        var responses = Object.keys(is[2]);
        return h('li', {'data-item': is[0], 'data-kind': info[0], 'data-status': is[1]},
          eventButton(is[0]), ' ' + info[0] + ' by ' + info[1] + ', ' + info[2] + ' ', h('span', {class: 'item-status', text: '[' + is[1] + ']'}),
          info[3] ? h('span', {class: 'item-text', text: info[3]}) : null,
          responses.length ? h('ul', {class: 'responses'}, responses.map(function (p) {
            var r = is[2][p];  // [response, qualifier, date, event]
            return h('li', {'data-party': p, 'data-response': r[0], 'data-qualifier': r[1] || ''}, responseText(p, r));
          })) : h('span', {class: 'empty', text: ' no answers'}));
      })));
      add(grid, card);
    });
    add(box, grid);
  }

  // ---------------------------------------------------------------- tooltip and detail
  var tip = document.getElementById('tip');
  function showTip(e, x, y) {
    clear(tip);
    add(tip, h('b', {text: e.d + (e.pr ? ' (' + e.pr + ')' : '') + '  ' + e.t + ' by ' + who(e)}), e.s || '');
    if (e.x || e.xa) add(tip, h('div', {text: e.x ? 'Retracted' : 'Answers a retracted report'}));
    tip.hidden = false;
    var w = tip.offsetWidth, hgt = tip.offsetHeight;
    tip.style.left = Math.max(4, Math.min(window.innerWidth - w - 4, x + 12)) + 'px';
    tip.style.top = Math.max(4, Math.min(window.innerHeight - hgt - 4, y + 12)) + 'px';
  }
  function hideTip() { tip.hidden = true; }
  var detail = document.getElementById('detail'), returnFocus = null;
  function row(dl, label, value) { if (value !== null && value !== undefined && value !== '') add(dl, [h('dt', {text: label}), h('dd', null, value)]); }
  function fieldText(v) {
    if (Array.isArray(v)) return v.map(function (x) { return typeof x === 'object' ? (x.issue + ': ' + x.text) : String(x); }).join('; ');
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }
  function openDetail(n) {
    var e = events[n], d = detailOf(n);
    hideTip();
    if (!detail.contains(document.activeElement)) returnFocus = document.activeElement;
    if (selected >= 0) { var old = timelineBox.querySelector('.marker.selected'); if (old) old.classList.remove('selected'); }
    selected = n;
    var m = timelineBox.querySelector('.marker[data-event="' + CSS.escape(e.id) + '"]');
    if (m) m.classList.add('selected');
    clear(detail);
    detail.setAttribute('data-event', e.id);
    add(detail, h('button', {type: 'button', class: 'close', 'aria-label': 'Close', text: '\u2715', on: {click: closeDetail}}));
    add(detail, h('h2', {id: 'detail-h', text: e.s || e.id}));
    var dl = h('dl');
    row(dl, 'event', h('code', {text: e.id}));
    row(dl, 'type', e.t);
    row(dl, 'date', e.d + (e.pr ? ' (known to the ' + e.pr + ')' : ''));
    row(dl, e.t === 'AgreementReached' ? 'parties' : 'by', who(e) + (e.p && partyName[e.p] ? ' \u2014 ' + partyName[e.p] : ''));
    if (e.i) row(dl, 'issues', e.i.map(function (i) { return issueTitle[i] || i; }).join('; '));
    if (e.st) row(dl, 'stance', e.st);
    Object.keys(d.fields).forEach(function (k) {
      if (k === 'ref' || k === 'revises') {
        var target = d.fields[k];
        row(dl, k === 'ref' ? (e.t === 'ReportRetracted' ? 'retracts' : 'answers') : 'revises', eventButton(target));
      } else row(dl, k.replace(/_/g, ' '), fieldText(d.fields[k]));
    });
    if (d.answered_by.length) {
      var dd = h('span');
      d.answered_by.forEach(function (id, i) { if (i) add(dd, ', '); add(dd, eventButton(id)); });
      row(dl, 'answered by', dd);
    }
    row(dl, 'recorded at', d.recorded_at);
    add(detail, dl);
    var rx = e.x ? D.retractions[e.x] : e.xa ? D.retractions[e.xa] : null;
    if (rx) {
      add(detail, h('p', {class: 'retraction', 'data-retraction': e.x || e.xa},
        h('b', {text: e.x ? 'Retracted: ' : 'Answers a retracted report: '}), (rx.reason || rx.summary || '') +
        ' (' + (e.x || e.xa) + ', recorded at ' + rx.recorded_at + '). Left out of every state as known from then on.'));
    }
    d.sources.forEach(function (src) {
      var info = D.sources[src.ref] || {};
      if (src.quote) add(detail, h('blockquote', {class: 'quote', text: src.quote}));
      var bits = [h('span', {text: (info.title || src.ref) + ' '}), h('span', {text: '[' + src.ref + (info.reliability ? ', grade ' + info.reliability : '') + (info.published ? ', ' + info.published : '') + '] '})];
      if (info.url) bits.push(h('a', {href: info.url, rel: 'noopener noreferrer', target: '_blank', text: info.url}));
      add(detail, h('p', {class: 'src'}, bits));
    });
    detail.hidden = false;
    detail.querySelector('.close').focus();
  }
  function closeDetail() {
    detail.hidden = true;
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  }
  document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape' && !detail.hidden) closeDetail(); });

  // ---------------------------------------------------------------- zoom
  var fullLo = D.from ? dayOf(D.from) : (events.length ? events[0].day : minDay);
  var fullHi = D.to ? dayOf(D.to) : (events.length ? events[events.length - 1].day : maxDay);
  function setView(lo, hi) {
    view = layout(lo, hi);
    focusIndex = 0;
    drawTimeline();
    drawBands();
    placeAsOfLine();
    document.getElementById('zoom-out').hidden = lo === fullLo && hi === fullHi;
    timelineBox.scrollLeft = 0;
  }
  document.getElementById('zoom-out').addEventListener('click', function () { setView(fullLo, fullHi); });
  var folded = [];
  window.addEventListener('beforeprint', function () {  // print the state whole, the timeline from its start
    timelineBox.scrollLeft = 0; bandsBox.scrollLeft = 0;
    folded = Array.prototype.filter.call(document.querySelectorAll('#state details'), function (d) { return !d.open; });
    folded.forEach(function (d) { d.open = true; });
  });
  window.addEventListener('afterprint', function () { folded.forEach(function (d) { d.open = false; }); folded = []; });

  header();
  legend();
  setView(fullLo, fullHi);
  setAsOf(maxDay, 'init');
  document.documentElement.setAttribute('data-ready', 'true');
})();
