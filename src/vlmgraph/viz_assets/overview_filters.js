// The overview's filters acting in the page: kinds, organization and year choose which of the
// graph's nodes are drawn — the choice the server makes for the same address (viz._overview_keep).
// The nodes kept stay where they were, the new ones come in where they last stood, the layout
// settles and fits; the address keeps the filters, so a view can be shared or reloaded.
(function () {
  "use strict";
  var form = document.getElementById("overview-filters");
  var state = window.vlmgraphNetwork, network = state.network;
  var count = document.getElementById("overview-count");
  var every = Array.prototype.map.call(form.querySelectorAll("input[name=kind]"), function (box) { return box.value; });
  var byId = {}, organizations = {}, last = {};  // last: where each node last stood
  state.all.nodes.forEach(function (n) {
    byId[n.id] = n;
    if (n.kind === "Organization") { organizations[n.name] = n.id; }
  });
  form.querySelector("button[type=submit]").style.display = "none";  // each change acts at once

  function chosen() {
    var kinds = Array.prototype.filter.call(form.querySelectorAll("input[name=kind]"), function (box) {
      return box.checked;
    }).map(function (box) { return box.value; });
    return { kinds: kinds, org: form.elements.org.value, year: form.elements.year.value };
  }

  function kept(f) {
    var kinds = f.kinds.length ? f.kinds : every, keep = {};
    state.all.nodes.forEach(function (n) {
      if (kinds.indexOf(n.kind) >= 0 && (!f.org || (n.kind === "Organization" && n.name === f.org) ||
          n.developers.indexOf(f.org) >= 0) && (!f.year || n.released.slice(0, 4) === f.year)) {
        keep[n.id] = true;
      }
    });
    if (kinds.indexOf("Organization") >= 0) {  // a year's models keep the labs behind them in view
      Object.keys(keep).forEach(function (id) {
        byId[id].developers.forEach(function (name) { if (organizations[name]) { keep[organizations[name]] = true; } });
      });
    }
    return keep;
  }

  function address(f) {
    var query = new URLSearchParams();
    f.kinds.forEach(function (kind) { query.append("kind", kind); });
    if (f.org) { query.set("org", f.org); }
    if (f.year) { query.set("year", f.year); }
    var text = query.toString();
    history.replaceState(null, "", location.pathname + (text ? "?" + text : ""));
  }

  function tell() {
    var shown = state.nodes.length;
    count.textContent = shown ? shown + " entities, " + state.edges.length + " relations"
      : "No entity matches these filters.";
    return shown;
  }

  function apply() {
    var f = chosen(), keep = kept(f);
    state.ready = false;
    window.vlmgraphOverview.expand();  // a family node holds its members: open it before they change
    Object.assign(last, network.getPositions());
    state.edges.remove(state.edges.get({ filter: function (e) { return !keep[e.from] || !keep[e.to]; } })
      .map(function (e) { return e.id; }));
    state.nodes.remove(state.nodes.getIds().filter(function (id) { return !keep[id]; }));
    state.nodes.add(state.all.nodes.filter(function (n) { return keep[n.id] && !state.nodes.get(n.id); })
      .map(function (n) { return Object.assign({}, n, { held: false }, last[n.id] || {}); }));
    state.edges.add(state.all.edges.filter(function (e) { return keep[e.from] && keep[e.to] && !state.edges.get(e.id); }));
    var shown = tell();
    address(f);
    if (!shown) { state.ready = true; return; }
    network.once("stabilizationIterationsDone", function () {
      window.vlmgraphOverview.group();
      network.fit();
      state.ready = true;
    });
    network.stabilize(shown > 600 ? 150 : 300);
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "kind" || event.target.name === "org" || event.target.name === "year") { apply(); }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  tell();
  window.vlmgraphOverview.filter = apply;
})();
