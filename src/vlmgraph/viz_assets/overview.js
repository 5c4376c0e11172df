// The overview's page side: models grouped into one node per family (a click opens a family and
// zooms to it, a checkbox groups them all again) and a search box that focuses a node. Both zoom
// far enough in that labels are drawn at READABLE px: the whole graph fits the canvas only with
// labels too small to read.
(function () {
  "use strict";
  var state = window.vlmgraphNetwork;
  var network = state.network;
  var grouping = document.getElementById("overview-group");
  var search = document.getElementById("overview-search");
  var found = document.getElementById("overview-found");
  var READABLE = 13;

  function families() {
    var seen = {};
    state.nodes.forEach(function (n) { if (n.family) { seen[n.family] = (seen[n.family] || 0) + 1; } });
    return Object.keys(seen).filter(function (f) { return seen[f] > 1; }).sort();
  }

  function collapse() {
    families().forEach(function (family) {
      var members = state.nodes.get({ filter: function (n) { return n.family === family; } });
      network.cluster({
        joinCondition: function (node) { return node.family === family; },
        clusterNodeProperties: {
          id: "family:" + family, label: family + " (" + members.length + ")", shape: "box", family: family,
          title: members.length + " entities of the " + family + " family; click to open",
          color: { background: "#eeeeee", border: "#9e9e9e" }, font: { size: 16 }, margin: 8
        }
      });
    });
  }

  function expand() {
    Object.keys(network.body.nodes).filter(function (id) { return network.isCluster(id); })
      .forEach(function (id) { network.openCluster(id); });
  }

  function group() {
    expand();
    if (grouping.checked) { collapse(); }
  }

  // The nodes in view, zoomed in until their labels are drawn at READABLE px or more.
  function readable(ids) {
    network.fit({ nodes: ids, animation: false });
    var size = network.body.nodes[ids[0]].options.font.size, positions = network.getPositions(ids);
    if (network.getScale() * size >= READABLE) { return; }
    var x = 0, y = 0;
    ids.forEach(function (id) { x += positions[id].x / ids.length; y += positions[id].y / ids.length; });
    network.moveTo({ position: { x: x, y: y }, scale: READABLE / size, animation: false });
  }

  // Members clustered before the first layout come out all in one spot: a ring around it to start from.
  function spread(ids, at) {
    var positions = network.getPositions(ids), spots = {};
    ids.forEach(function (id) { spots[Math.round(positions[id].x) + "," + Math.round(positions[id].y)] = true; });
    if (Object.keys(spots).length > 1) { return; }
    var radius = 30 * Math.sqrt(ids.length);
    ids.forEach(function (id, i) {
      var angle = 2 * Math.PI * i / ids.length;
      network.moveNode(id, at.x + radius * Math.cos(angle), at.y + radius * Math.sin(angle));
    });
  }

  // A family opened: its members laid out again, then brought into view with readable labels.
  function open(id) {
    var members = network.getNodesInCluster(id), at = network.getPositions([id])[id];
    state.ready = false;
    network.openCluster(id);
    spread(members, at);
    network.once("stabilizationIterationsDone", function () { readable(members); state.ready = true; });
    network.stabilize(100);
  }

  // A click on a family opens it; viz.js's own click handler opens entity pages.
  network.on("click", function (params) {
    if (params.nodes.length === 1 && network.isCluster(params.nodes[0])) { open(params.nodes[0]); }
  });

  search.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = search.value.trim().toLowerCase();
    if (!text) { return; }
    var drawn = state.nodes.get();
    var node = drawn.filter(function (n) { return n.name.toLowerCase() === text; })[0] ||
      drawn.filter(function (n) { return n.name.toLowerCase().indexOf(text) >= 0; })[0];
    if (!node) { found.textContent = "No node named “" + search.value + "” in this view."; return; }
    var cluster = network.clustering.findNode(node.id);
    if (cluster.length > 1) { network.openCluster(cluster[0]); }
    network.selectNodes([node.id]);
    network.focus(node.id, { scale: Math.max(1.4, READABLE / network.body.nodes[node.id].options.font.size) });
    found.textContent = node.name;
  });
  grouping.addEventListener("change", group);
  group();
  window.vlmgraphOverview = { group: group, expand: expand, families: families, open: open, readable: readable };
})();
