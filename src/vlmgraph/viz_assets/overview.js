// The overview's page side: models grouped into one node per family (a click opens a family, a
// button closes them all again), a search box that focuses a node, and the filters of the URL
// (kind, organization, year) as a form.
(function () {
  "use strict";
  var state = window.vlmgraphNetwork;
  var network = state.network;
  var grouping = document.getElementById("overview-group");
  var search = document.getElementById("overview-search");
  var found = document.getElementById("overview-found");

  function families() {
    var seen = {};
    state.all.nodes.forEach(function (n) { if (n.family) { seen[n.family] = (seen[n.family] || 0) + 1; } });
    return Object.keys(seen).filter(function (f) { return seen[f] > 1; }).sort();
  }

  function collapse() {
    families().forEach(function (family) {
      var members = state.all.nodes.filter(function (n) { return n.family === family; });
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

  // A click on a family opens it; viz.js's own click handler opens entity pages.
  network.on("click", function (params) {
    if (params.nodes.length === 1 && network.isCluster(params.nodes[0])) { network.openCluster(params.nodes[0]); }
  });

  search.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = search.value.trim().toLowerCase();
    if (!text) { return; }
    var node = state.all.nodes.filter(function (n) { return n.name.toLowerCase() === text; })[0] ||
      state.all.nodes.filter(function (n) { return n.name.toLowerCase().indexOf(text) >= 0; })[0];
    if (!node) { found.textContent = "No node named “" + search.value + "” in this view."; return; }
    var cluster = network.clustering.findNode(node.id);
    if (cluster.length > 1) { network.openCluster(cluster[0]); }
    network.selectNodes([node.id]);
    network.focus(node.id, { scale: 1.4 });
    found.textContent = node.name;
  });
  grouping.addEventListener("change", group);
  group();
  window.vlmgraphOverview = { group: group, families: families };
})();
