// The release timeline's page side. A window of years fills the width at zoom 1, so labels are
// drawn at their own size (13 px); the canvas is as tall as the packed lanes and the page scrolls,
// instead of the drawing shrinking to fit. The controls (window, lanes, stacking, organization,
// family, size) re-pack what they keep (timeline_layout.js). Lane bands, their names and per-year
// counts, and the month axis are painted under the boxes.
(function () {
  "use strict";
  var state = window.vlmgraphNetwork, network = state.network;
  var extra = JSON.parse(document.getElementById("vlmgraph-extra").textContent);
  var container = document.getElementById(state.container);
  var models = state.all.nodes, edges = state.all.edges;
  var GUTTER = 280;  // px left of the window for the lane names and their sparklines
  var AXIS = 36;  // px above the lanes for the years and months
  var RIGHT = 12, BOTTOM = 8;
  var BAR = 14, BAR_GAP = 3, BAR_HEIGHT = 22;  // px of a sparkline's bars: one a year
  var gutter = GUTTER;  // narrow windows keep the names and drop the sparklines
  container.classList.add("timeline-canvas");
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var ids = ["from", "to", "earlier", "later", "lanes", "group", "organization", "family", "size", "count"];
  var controls = {};
  ids.forEach(function (id) { controls[id] = document.getElementById("timeline-" + id); });
  var expanded = {};  // series the reader opened
  var current = null;  // the layout drawn

  // A box is as wide as vis-network draws it: the label in the node's font, plus its margins.
  var style = models[0] || { font: { size: 13, face: "sans-serif" }, margin: {}, heightConstraint: {} };
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = style.font.size + "px " + style.font.face;
  var widths = {};
  function boxWidth(label) {
    if (!(label in widths)) {
      widths[label] = Math.ceil(measure.measureText(label).width) + (style.margin.left || 0) + (style.margin.right || 0);
    }
    return widths[label];
  }
  var boxHeight = Math.max(style.font.size, style.heightConstraint.minimum || 0) + (style.margin.top || 0) +
    (style.margin.bottom || 0);

  function kept(model) {
    var organization = controls.organization.value, family = controls.family.value, size = controls.size.value;
    return (!organization || model.organizations.indexOf(organization) >= 0) &&
      (!family || model.families.indexOf(family) >= 0) && (!size || model.size === size);
  }

  function years() {
    var from = Number(controls.from.value), to = Number(controls.to.value);
    return from <= to ? [from, to] : [to, from];
  }

  function node(box) {
    if (box.members.length === 1 && box.id === box.members[0].id) {
      return Object.assign({}, box.members[0], { x: box.x, y: box.y });
    }
    var first = box.members[0];
    return { id: box.id, name: box.label, label: box.label, kind: "series", title: box.title, x: box.x, y: box.y,
             members: box.members.map(function (m) { return m.id; }), shape: "box", font: first.font,
             margin: first.margin, heightConstraint: first.heightConstraint, shapeProperties: first.shapeProperties,
             color: first.color, borderWidth: 1.5,
             shadow: { enabled: true, color: first.color.border, size: 0, x: 3, y: 3 } };
  }

  // Edges between the boxes drawn: a model's edges go to its series, once per pair and relation.
  function links(boxOf) {
    var seen = {};
    return edges.map(function (edge) {
      var from = boxOf[edge.from], to = boxOf[edge.to], id = from + " > " + to + " : " + edge.relation;
      if (!from || !to || from === to || seen[id]) { return null; }
      seen[id] = true;
      return Object.assign({}, edge, { id: id, from: from, to: to });
    }).filter(Boolean);
  }

  function arrange() {
    var window_ = years(), chosen = models.filter(kept), width = container.clientWidth;
    gutter = width < 700 ? 130 : GUTTER;
    current = window.vlmgraphTimelineLayout.layout(chosen, {
      laning: controls.lanes.value, lanes: extra.lanings[controls.lanes.value].lanes,
      start: window_[0] * 12, end: (window_[1] + 1) * 12, available: width - gutter - RIGHT,
      width: boxWidth, boxHeight: boxHeight, grouped: controls.group.checked, expanded: expanded
    });
    current.window = window_;
    var boxOf = {};
    current.boxes.forEach(function (box) { box.members.forEach(function (m) { boxOf[m.id] = box.id; }); });
    state.nodes.clear();
    state.edges.clear();
    state.nodes.add(current.boxes.map(node));
    state.edges.add(links(boxOf));
    show();
    controls.count.textContent = current.shown + " of " + models.length + " models in " + windowName() +
      " (" + chosen.length + " in all years)";
    controls.earlier.disabled = window_[0] <= extra.years[0];
    controls.later.disabled = window_[1] >= extra.years[extra.years.length - 1];
  }

  // The canvas as large as the layout, at zoom 1, the window's first month next to the gutter: a
  // label is drawn at its font's size.
  function show() {
    var width = container.clientWidth;
    var canvasWidth = Math.max(width, gutter + current.width + RIGHT), height = AXIS + current.height + BOTTOM;
    // a layout wider than the page scrolls sideways inside its box, above the scrollbar
    container.style.height = height + (canvasWidth > width ? container.offsetHeight - container.clientHeight + 16 : 0) +
      "px";
    network.setSize(canvasWidth + "px", height + "px");
    network.moveTo({ position: { x: -gutter + canvasWidth / 2, y: -AXIS + height / 2 }, scale: 1, animation: false });
  }

  function windowName() {
    var w = current.window;
    return w[0] === w[1] ? String(w[0]) : w[0] + "–" + w[1];
  }

  function xOfMonth(month) { return (month - current.window[0] * 12) * current.monthWidth; }

  function paintLanes(ctx, right) {
    var peak = 1;
    current.lanes.forEach(function (lane) {
      Object.keys(lane.years).forEach(function (y) { peak = Math.max(peak, lane.years[y]); });
    });
    current.lanes.forEach(function (lane, index) {
      ctx.fillStyle = index % 2 ? "#ffffff" : "#f3f6f9";
      ctx.fillRect(-gutter, lane.top, right + gutter, lane.bottom - lane.top);
      var middle = lane.firstRow;
      ctx.fillStyle = "#1f2328";
      ctx.font = "bold 13px sans-serif";
      ctx.textBaseline = "middle";
      ctx.fillText(fitted(ctx, lane.name, gutter === GUTTER ? spark() - 20 + gutter : gutter - 20), -gutter + 10, middle);
      if (lane.rows > 1) {
        ctx.fillStyle = "#57606a";
        ctx.font = "12px sans-serif";
        ctx.fillText(fitted(ctx, lane.shown + " in " + windowName() + ", " + total(lane.years) + " in all",
                            gutter - 20), -gutter + 10, middle + boxHeight + 4);
      }
      if (gutter === GUTTER) { sparkline(ctx, lane, peak, spark(), middle + BAR_HEIGHT / 2); }
    });
  }

  function spark() { return -12 - extra.years.length * (BAR + BAR_GAP); }

  function total(years) { return Object.keys(years).reduce(function (n, y) { return n + years[y]; }, 0); }

  function fitted(ctx, text, width) {
    if (ctx.measureText(text).width <= width) { return text; }
    while (text.length > 1 && ctx.measureText(text + "…").width > width) { text = text.slice(0, -1); }
    return text + "…";
  }

  // A lane's models per year, every year of the catalogue, the window's years darker: a family's
  // rise and fall (CLIP's 2023 and 2024, SigLIP's 2024 and 2025) whatever window is shown.
  function sparkline(ctx, lane, peak, left, bottom) {
    extra.years.forEach(function (year, i) {
      var count = lane.years[year] || 0, x = left + i * (BAR + BAR_GAP);
      ctx.fillStyle = "#d8dee4";
      ctx.fillRect(x, bottom - 1, BAR, 1);
      if (!count) { return; }
      var inWindow = year >= current.window[0] && year <= current.window[1];
      ctx.fillStyle = inWindow ? "#bf3989" : "#8c959f";
      var h = Math.max(2, Math.round(BAR_HEIGHT * count / peak));
      ctx.fillRect(x, bottom - h, BAR, h);
    });
  }

  function paintAxis(ctx, right, bottom) {
    var first = current.window[0] * 12, last = (current.window[1] + 1) * 12;
    ctx.textBaseline = "alphabetic";
    ctx.fillStyle = "#57606a";
    ctx.font = "12px sans-serif";
    if (gutter === GUTTER) {  // the sparklines' scale: a bar a year, the years by their last two digits
      ctx.fillText("models a year", spark(), -AXIS + 15);
      ctx.textAlign = "center";
      extra.years.forEach(function (year, i) {
        ctx.fillText(String(year).slice(2), spark() + i * (BAR + BAR_GAP) + BAR / 2, -4);
      });
      ctx.textAlign = "left";
    }
    var step = current.monthWidth >= 30 ? 1 : current.monthWidth >= 10 ? 3 : 12;
    for (var month = first; month <= last; month++) {
      var x = xOfMonth(month), january = month % 12 === 0;
      ctx.strokeStyle = january ? "#8c959f" : "#e1e6eb";
      ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(x, january ? -AXIS + 4 : -14); ctx.lineTo(x, bottom); ctx.stroke();
      if (month === last) { break; }
      if (january) {
        ctx.fillStyle = "#1f2328";
        ctx.font = "bold 14px sans-serif";
        ctx.fillText(String(month / 12), x + 4, -AXIS + 15);
      }
      if (month % step === 0 && (step === 1 || !january)) {
        ctx.fillStyle = "#57606a";
        ctx.font = "12px sans-serif";
        ctx.fillText(MONTHS[month % 12], x + 4, -4);
      }
    }
  }

  network.on("beforeDrawing", function (ctx) {
    if (!current) { return; }
    var right = Math.max(current.width, container.clientWidth - gutter) + RIGHT;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(-gutter, -AXIS, right + gutter, AXIS);
    paintLanes(ctx, right);
    paintAxis(ctx, right, current.height);
  });

  // A click on a stacked box shows its models; viz.js opens the page of a model clicked.
  network.on("click", function (params) {
    var id = params.nodes.length === 1 ? params.nodes[0] : null;
    var box = id && current.boxes.filter(function (b) { return b.id === id && b.key; })[0];
    if (box) { expanded[box.key] = true; arrange(); }
  });

  function shift(step) {
    var window_ = years(), length = window_[1] - window_[0] + 1, first = extra.years[0];
    var last = extra.years[extra.years.length - 1];
    var from = Math.min(Math.max(window_[0] + step * length, first), last - length + 1);
    controls.from.value = String(Math.max(from, first));
    controls.to.value = String(Math.min(from + length - 1, last));
    arrange();
  }

  controls.earlier.addEventListener("click", function () { shift(-1); });
  controls.later.addEventListener("click", function () { shift(1); });
  controls.group.addEventListener("change", function () { expanded = {}; arrange(); });
  ["from", "to", "lanes", "organization", "family", "size"].forEach(function (id) {
    controls[id].addEventListener("change", arrange);
  });
  window.addEventListener("resize", arrange);

  var api = window.vlmgraphTimeline = {
    ready: false,
    lanes: function () { return current.lanes.map(function (lane) { return lane.name; }); },
    layout: function () { return current; },
    arrange: arrange
  };
  arrange();
  // viz.js fits the drawing to the canvas once it is first drawn; the timeline keeps zoom 1
  state.drawn.then(function () { show(); api.ready = true; });
})();
