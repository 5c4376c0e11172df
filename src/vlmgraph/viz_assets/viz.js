// Draws a vlmgraph network (lineage, overview, an entity's mini-graph) with vis-network.
// Nodes of a "layer" kind (datasets, benchmarks, organizations, families) are held back until the
// reader switches the layer on in the legend; switching redraws the data so the hierarchical layout
// places only what is shown. Edge labels appear while the pointer is on an edge, not all at once.
// The drawn data stay reachable as window.vlmgraphNetwork (read by the browser tests).
(function () {
  "use strict";

  function draw(spec) {
    var container = document.getElementById(spec.container);
    var shown = {};  // layer kind -> drawn?
    (spec.layers || []).forEach(function (kind) { shown[kind] = false; });
    var state = { network: null, nodes: null, edges: null, all: { nodes: spec.nodes, edges: spec.edges } };

    function visibleData() {
      // a held node waits for the page's own script (the overview's filters) to draw it
      var nodes = spec.nodes.filter(function (n) { return !n.held && (!n.layer || shown[n.kind]); });
      var ids = {};
      nodes.forEach(function (n) { ids[n.id] = true; });
      var edges = spec.edges.filter(function (e) { return ids[e.from] && ids[e.to]; });
      return { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) };
    }

    function render() {
      var data = visibleData();
      state.nodes = data.nodes;
      state.edges = data.edges;
      if (state.network) {
        state.network.setData(data);
      } else {
        state.network = new vis.Network(container, data, spec.options);
        wire(state.network);
      }
      state.ready = false;
      // the first fit knows node sizes but not label widths; fit again once labels are drawn
      state.drawn = new Promise(function (resolve) {
        state.network.once("afterDrawing", function () { state.network.fit(); state.ready = true; resolve(state); });
      });
    }

    function wire(network) {
      network.on("click", function (params) {
        if (params.nodes.length === 1) {
          var node = state.nodes.get(params.nodes[0]);
          if (node && node.href) { window.location.href = node.href; }
        }
      });
      if (spec.hoverLabels) {
        network.on("hoverEdge", function (params) {
          var edge = state.edges.get(params.edge);
          if (edge) { state.edges.update({ id: edge.id, label: edge.relationLabel || edge.relation }); }
        });
        network.on("blurEdge", function (params) {
          if (state.edges.get(params.edge)) { state.edges.update({ id: params.edge, label: " " }); }
        });
      }
    }

    state.show = function (kind, on) {
      if (!(kind in shown) || shown[kind] === on) { return; }
      shown[kind] = on;
      render();
    };
    state.shownLayers = function () { return Object.keys(shown).filter(function (k) { return shown[k]; }); };

    render();
    var legend = document.querySelector('[data-legend-for="' + spec.container + '"]');
    if (legend) {
      legend.querySelectorAll("button[data-layer]").forEach(function (button) {
        button.setAttribute("aria-pressed", "false");
      });
      legend.onclick = function (event) {
        var button = event.target.closest("button[data-layer]");
        if (!button) { return; }
        var on = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", String(on));
        state.show(button.dataset.layer, on);
      };
    }
    return state;
  }

  // Drawing again into the same container (another model's data) replaces the network drawn there.
  window.vlmgraphDraw = function (spec) {
    var previous = window.vlmgraphNetwork;
    if (previous && previous.container === spec.container && previous.network) { previous.network.destroy(); }
    var state = draw(spec);
    state.container = spec.container;
    window.vlmgraphNetwork = state;
    return state;
  };
})();
