// The release timeline's page side: lane bands and year lines painted under the network, lanes
// switched between encoder and backbone families (positions come computed from the server), and
// filters by organization, family and size that hide the models they leave out.
(function () {
  "use strict";
  var state = window.vlmgraphNetwork;
  var extra = JSON.parse(document.getElementById("vlmgraph-extra").textContent);
  var network = state.network, nodes = state.nodes;
  var mode = "encoder";
  var controls = {
    lanes: document.getElementById("timeline-lanes"),
    organization: document.getElementById("timeline-organization"),
    family: document.getElementById("timeline-family"),
    size: document.getElementById("timeline-size"),
    count: document.getElementById("timeline-count")
  };
  var LANE_LABEL_WIDTH = 190;

  function xOfYear(year) { return (year * 12 - extra.firstMonth) * extra.monthWidth; }

  function extent() {
    var xs = state.all.nodes.map(function (n) { return n.x; });
    return { left: Math.min.apply(null, xs) - LANE_LABEL_WIDTH - 100, right: Math.max.apply(null, xs) + 120 };
  }

  // Bands first (alternate shading), then year lines and their labels above the first lane.
  network.on("beforeDrawing", function (ctx) {
    var lanes = extra.layouts[mode].lanes, span = extent();
    if (!lanes.length) { return; }
    var top = lanes[0].top - 30, bottom = lanes[lanes.length - 1].bottom + 10;
    lanes.forEach(function (lane, index) {
      ctx.fillStyle = index % 2 ? "#ffffff" : "#f3f6f9";
      ctx.fillRect(span.left, lane.top - 8, span.right - span.left, lane.bottom - lane.top + 16);
      ctx.fillStyle = "#57606a";
      ctx.font = "bold 15px sans-serif";
      ctx.textBaseline = "middle";
      ctx.fillText(lane.name, span.left + 10, (lane.top + lane.bottom) / 2);
    });
    ctx.strokeStyle = "#c9d1d9";
    ctx.fillStyle = "#57606a";
    ctx.font = "13px sans-serif";
    ctx.lineWidth = 1;
    extra.years.concat([extra.years[extra.years.length - 1] + 1]).forEach(function (year) {
      var x = xOfYear(year);
      ctx.beginPath(); ctx.moveTo(x, top + 14); ctx.lineTo(x, bottom); ctx.stroke();
      ctx.fillText(String(year), x + 4, top + 4);
    });
  });

  function arrange(lanes) {
    mode = lanes;
    var positions = extra.layouts[mode].positions;
    nodes.update(Object.keys(positions).map(function (id) {
      return { id: id, x: positions[id][0], y: positions[id][1] };
    }));
    state.all.nodes.forEach(function (n) { n.x = positions[n.id][0]; n.y = positions[n.id][1]; });
    network.fit();
  }

  function filter() {
    var organization = controls.organization.value, family = controls.family.value, size = controls.size.value;
    var shown = 0;
    nodes.update(state.all.nodes.map(function (n) {
      var keep = (!organization || n.organizations.indexOf(organization) >= 0) &&
        (!family || n.families.indexOf(family) >= 0) && (!size || n.size === size);
      if (keep) { shown++; }
      return { id: n.id, hidden: !keep };
    }));
    controls.count.textContent = shown + " of " + state.all.nodes.length + " models";
  }

  controls.lanes.addEventListener("change", function () { arrange(controls.lanes.value); });
  [controls.organization, controls.family, controls.size].forEach(function (select) {
    select.addEventListener("change", filter);
  });
  filter();

  window.vlmgraphTimeline = {
    lanes: function () { return extra.layouts[mode].lanes.map(function (lane) { return lane.name; }); },
    mode: function () { return mode; },
    arrange: arrange,
    filter: filter
  };
})();
