// The query page: run SPARQL against this app's /sparql, show rows or a graph, keep the query in the URL.
(function () {
  "use strict";

  var RESOURCE = "https://w3id.org/vlmgraph/resource/";
  var ONTOLOGY = "https://w3id.org/vlmgraph/ontology#";
  var MAX_TABLE_ROWS = 2000; // more rows than this slows the page; the downloads carry the full result
  var MAX_GRAPH_NODES = 800;

  var editor = document.getElementById("editor");
  var runButton = document.getElementById("run");
  var status = document.getElementById("status");
  var errorBox = document.getElementById("error");
  var downloads = document.getElementById("downloads");
  var tabs = document.getElementById("tabs");
  var tabTable = document.getElementById("tab-table");
  var tabGraph = document.getElementById("tab-graph");
  var tableView = document.getElementById("table-view");
  var graphView = document.getElementById("graph-view");
  var examples = JSON.parse(document.getElementById("example-queries").textContent);
  var prefixes = JSON.parse(document.getElementById("prefixes").textContent);
  var endpoint = "/sparql";
  var network = null;

  // --- what kind of query is it? Comments, strings and IRIs must not fool the check.
  function queryForm(text) {
    var stripped = text
      .replace(/"""[\s\S]*?"""|'''[\s\S]*?'''/g, '""')
      .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""')
      .replace(/<[^<>"{}|^`\\\s]*>/g, "<>")
      .replace(/#[^\n]*/g, " ");
    var match = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(stripped);
    return match ? match[1].toUpperCase() : null;
  }

  function isGraphForm(form) { return form === "CONSTRUCT" || form === "DESCRIBE"; }

  // --- highlighting: one tokenizer pass, escaped, painted under the transparent textarea
  var highlight = document.querySelector("#editor-highlight code");
  var TOKENS = /(#[^\n]*)|("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(<[^<>"{}|^`\\\s]*>)|([?$][A-Za-z_][\w]*)|([A-Za-z][\w\-.]*:[\w\-.\/]*|:[\w\-.]+)|(\b\d+(?:\.\d+)?\b)|(\b[A-Za-z_]+\b)/g;
  var KEYWORDS = new Set(("select construct describe ask where prefix base from named optional filter union minus graph " +
    "service bind values limit offset order by group having distinct reduced as not exists in a asc desc count sum " +
    "min max avg sample group_concat separator lang langmatches datatype bound iri uri str regex contains strstarts " +
    "strends lcase ucase year if coalesce true false undef lateral").split(" "));
  var CLASSES = [null, "comment", "str", "iri", "var", "pname", "num", "kw"];

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function paint() {
    var text = editor.value, out = "", last = 0, match;
    TOKENS.lastIndex = 0;
    while ((match = TOKENS.exec(text)) !== null) {
      var kind = 1;
      while (match[kind] === undefined) { kind++; }
      if (kind === 7 && !KEYWORDS.has(match[0].toLowerCase())) { continue; }
      out += escapeHtml(text.slice(last, match.index)) +
        '<span class="' + CLASSES[kind] + '">' + escapeHtml(match[0]) + "</span>";
      last = TOKENS.lastIndex;
    }
    // A trailing newline needs a character after it, or the copy is one line short of the textarea.
    highlight.innerHTML = out + escapeHtml(text.slice(last)) + "\n ";
    syncScroll();
  }

  function syncScroll() {
    highlight.parentNode.scrollTop = editor.scrollTop;
    highlight.parentNode.scrollLeft = editor.scrollLeft;
  }

  // --- terms
  // As vocab.prefixed_name prints it, so that a cell pasted into a query parses: the longest namespace
  // (model:llava-1.5, not res:model/llava-1.5, which is no prefixed name), else the IRI in <…>.
  var LOCAL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_\-]*(?:\.[A-Za-z0-9_\-]+)?$/;  // one '.' at most, as in Python
  var BY_LENGTH = Object.keys(prefixes).filter(function (name) { return name !== "res"; })
    .sort(function (a, b) { return prefixes[b].length - prefixes[a].length; });
  function compact(iri) {
    for (var i = 0; i < BY_LENGTH.length; i++) {
      var base = prefixes[BY_LENGTH[i]];
      if (iri.indexOf(base) === 0 && LOCAL_NAME.test(iri.slice(base.length))) {
        return BY_LENGTH[i] + ":" + iri.slice(base.length);
      }
    }
    return "<" + iri + ">";
  }

  function isLocal(iri) { return iri.indexOf(RESOURCE) === 0 || iri.indexOf(ONTOLOGY) === 0; }

  function pageOf(iri) {
    // Our own resources and terms have pages on this app; anything else is linked where it lives.
    if (iri.indexOf(RESOURCE) === 0) { return "/resource/" + iri.slice(RESOURCE.length); }
    if (iri.indexOf(ONTOLOGY) === 0) { return "/ontology#" + iri.slice(ONTOLOGY.length); }
    return iri;
  }

  function termNode(term) {
    if (!term) { return document.createTextNode(""); }
    if (term.type === "uri") {
      var link = document.createElement("a");
      link.href = pageOf(term.value);
      link.textContent = compact(term.value);
      link.title = term.value;
      if (!isLocal(term.value)) { link.rel = "noopener"; link.target = "_blank"; }
      return link;
    }
    if (term.type === "bnode") {
      var span = document.createElement("span");
      span.className = "muted";
      span.textContent = "_:" + term.value;
      return span;
    }
    var wrap = document.createElement("span");
    wrap.textContent = term.value;
    var note = term["xml:lang"] ? "@" + term["xml:lang"] :
      (term.datatype && !/#string$/.test(term.datatype) ? compact(term.datatype) : "");
    if (note) {
      var small = document.createElement("span");
      small.className = "literal-type";
      small.textContent = " " + note;
      wrap.appendChild(small);
    }
    return wrap;
  }

  // --- N-Triples, for CONSTRUCT and DESCRIBE results (one triple per line, as the endpoint writes them)
  var NT_TERM = /\s*(<[^>]*>|_:[^\s]+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9\-]+|\^\^<[^>]*>)?)/y;

  function unescapeLiteral(text) {
    return text.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, function (_, code) {
      if (code[0] === "u" || code[0] === "U") { return String.fromCodePoint(parseInt(code.slice(1), 16)); }
      return { t: "\t", n: "\n", r: "\r", b: "\b", f: "\f", '"': '"', "'": "'", "\\": "\\" }[code] || code;
    });
  }

  function parseTerm(token) {
    if (token[0] === "<") { return { type: "uri", value: token.slice(1, -1) }; }
    if (token[0] === "_") { return { type: "bnode", value: token.slice(2) }; }
    var end = token.lastIndexOf('"');
    var term = { type: "literal", value: unescapeLiteral(token.slice(1, end)) };
    var rest = token.slice(end + 1);
    if (rest[0] === "@") { term["xml:lang"] = rest.slice(1); }
    if (rest.indexOf("^^") === 0) { term.datatype = rest.slice(3, -1); }
    return term;
  }

  function parseNTriples(text) {
    var triples = [];
    text.split("\n").forEach(function (line) {
      if (!line.trim() || line.trim()[0] === "#") { return; }
      NT_TERM.lastIndex = 0;
      var terms = [];
      for (var i = 0; i < 3; i++) {
        var match = NT_TERM.exec(line);
        if (!match) { return; }
        terms.push(parseTerm(match[1]));
      }
      triples.push({ s: terms[0], p: terms[1], o: terms[2] });
    });
    return triples;
  }

  // --- views
  function clearResults() {
    errorBox.hidden = true;
    errorBox.textContent = "";
    tableView.textContent = "";
    tableView.hidden = true;
    graphView.hidden = true;
    tabs.hidden = true;
    tabGraph.hidden = true;
    downloads.hidden = true;
    downloads.textContent = "";
    if (network) { network.destroy(); network = null; }
  }

  function showTable(variables, rows) {
    var table = document.createElement("table");
    table.className = "results";
    var head = table.createTHead().insertRow();
    ["#"].concat(variables).forEach(function (name, i) {
      var th = document.createElement("th");
      th.textContent = i === 0 ? "#" : "?" + name;
      th.scope = "col";
      head.appendChild(th);
    });
    var body = table.createTBody();
    rows.slice(0, MAX_TABLE_ROWS).forEach(function (row, index) {
      var tr = body.insertRow();
      var number = tr.insertCell();
      number.className = "num";
      number.textContent = String(index + 1);
      variables.forEach(function (name) { tr.insertCell().appendChild(termNode(row[name])); });
    });
    tableView.appendChild(table);
    if (rows.length > MAX_TABLE_ROWS) {
      var note = document.createElement("p");
      note.className = "notice";
      note.textContent = "Showing the first " + MAX_TABLE_ROWS + " of " + rows.length + " rows; the downloads hold all of them.";
      tableView.insertBefore(note, table);
    }
    tableView.hidden = false;
  }

  function showGraph(triples) {
    var labels = {}, nodes = {}, edges = [];
    triples.forEach(function (t) {
      if (t.o.type === "literal" && /rdf-schema#label$/.test(t.p.value)) { labels[t.s.value] = t.o.value; }
    });
    function addNode(term) {
      var id = (term.type === "bnode" ? "_:" : "") + term.value;
      if (!nodes[id]) {
        nodes[id] = { id: id, label: labels[term.value] || compact(term.value), title: term.value, facts: [],
                      href: term.type === "uri" && term.value.indexOf(RESOURCE) === 0 ? pageOf(term.value) : null,
                      shape: "dot", size: 12, color: term.value.indexOf(RESOURCE) === 0 ? "#d1495b" : "#7b8794" };
      }
      return id;
    }
    triples.forEach(function (t) {
      var from = addNode(t.s);
      if (t.o.type === "literal") {
        nodes[from].facts.push(compact(t.p.value) + ": " + t.o.value);
      } else {
        edges.push({ from: from, to: addNode(t.o), label: compact(t.p.value), arrows: "to",
                     font: { size: 10, align: "middle" }, color: { color: "#9aa5b1" } });
      }
    });
    var list = Object.keys(nodes).map(function (id) {
      var node = nodes[id];
      if (node.facts.length) { node.title = node.title + "\n" + node.facts.slice(0, 12).join("\n"); }
      delete node.facts;
      return node;
    });
    if (list.length > MAX_GRAPH_NODES) {
      var note = document.createElement("p");
      note.className = "notice";
      note.textContent = list.length + " nodes are too many to draw; narrow the query (the table and downloads have every triple).";
      graphView.textContent = "";
      graphView.appendChild(note);
      return;
    }
    var data = { nodes: new vis.DataSet(list), edges: new vis.DataSet(edges) };
    network = new vis.Network(graphView, data, {
      physics: { stabilization: { iterations: 200 }, barnesHut: { springLength: 140 } },
      interaction: { hover: true, tooltipDelay: 150 },
      nodes: { font: { size: 13 } }
    });
    network.on("doubleClick", function (params) {
      if (params.nodes.length === 1) {
        var node = data.nodes.get(params.nodes[0]);
        if (node && node.href) { window.location.href = node.href; }
      }
    });
    window.vlmgraphQueryGraph = data; // read by the browser test
  }

  function selectTab(which) {
    var graph = which === "graph";
    tabTable.setAttribute("aria-selected", String(!graph));
    tabGraph.setAttribute("aria-selected", String(graph));
    tableView.hidden = graph;
    graphView.hidden = !graph;
    if (graph && network) { network.fit(); }
  }

  function setDownloads(query, formats) {
    formats.forEach(function (format) {
      var link = document.createElement("a");
      link.className = "button";
      link.href = endpoint + "?" + new URLSearchParams({ query: query, format: format[0] }).toString();
      link.download = "results." + format[1];
      link.textContent = format[2];
      downloads.appendChild(link);
    });
    downloads.hidden = false;
  }

  function describeCount(count, noun, started) {
    var ms = Math.round(performance.now() - started);
    return count + " " + noun + (count === 1 ? "" : "s") + " in " + ms + " ms";
  }

  // --- running
  function run() {
    var query = editor.value;
    clearResults();
    if (!query.trim()) { status.textContent = "Type a query first."; return; }
    var form = queryForm(query);
    var graph = isGraphForm(form);
    var url = new URL(window.location.href);
    url.search = new URLSearchParams({ query: query }).toString();
    history.replaceState(null, "", url.toString());
    runButton.disabled = true;
    status.textContent = "Running…";
    var started = performance.now();
    fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded",
                 "Accept": graph ? "application/n-triples" : "application/sparql-results+json" },
      body: new URLSearchParams({ query: query }).toString()
    }).then(function (response) {
      return response.text().then(function (text) { return { response: response, text: text }; });
    }).then(function (answer) {
      if (!answer.response.ok) {
        status.textContent = "";
        errorBox.textContent = "Error " + answer.response.status + ": " + answer.text.trim();
        errorBox.hidden = false;
        return;
      }
      tabs.hidden = false;
      if (graph) {
        var triples = parseNTriples(answer.text);
        status.textContent = describeCount(triples.length, "triple", started);
        showTable(["subject", "predicate", "object"], triples.map(function (t) {
          return { subject: t.s, predicate: t.p, object: t.o };
        }));
        tabGraph.hidden = false;
        showGraph(triples);
        selectTab("graph");
        setDownloads(query, [["turtle", "ttl", "Turtle"], ["nt", "nt", "N-Triples"], ["jsonld", "jsonld", "JSON-LD"]]);
        return;
      }
      var results = JSON.parse(answer.text);
      if (typeof results.boolean === "boolean") {
        status.textContent = "Answer: " + results.boolean;
        showTable(["answer"], [{ answer: { type: "literal", value: String(results.boolean) } }]);
      } else {
        status.textContent = describeCount(results.results.bindings.length, "row", started);
        showTable(results.head.vars, results.results.bindings);
      }
      selectTab("table");
      setDownloads(query, [["json", "json", "JSON"], ["csv", "csv", "CSV"], ["tsv", "tsv", "TSV"]]);
    }).catch(function (problem) {
      status.textContent = "";
      errorBox.textContent = "The query could not be sent: " + problem.message;
      errorBox.hidden = false;
    }).finally(function () {
      runButton.disabled = false;
    });
  }

  // --- wiring
  editor.addEventListener("input", paint);
  editor.addEventListener("scroll", syncScroll);
  runButton.addEventListener("click", run);
  tabTable.addEventListener("click", function () { selectTab("table"); });
  tabGraph.addEventListener("click", function () { selectTab("graph"); });
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
    if (event.key === "Tab" && !event.shiftKey && !event.ctrlKey) {
      event.preventDefault();
      var start = editor.selectionStart;
      editor.setRangeText("  ", start, editor.selectionEnd, "end");
      paint();
    }
  });
  document.getElementById("examples").addEventListener("click", function (event) {
    var button = event.target.closest("button[data-example]");
    if (!button) { return; }
    var example = examples.filter(function (e) { return e.name === button.dataset.example; })[0];
    if (example) { editor.value = example.text; paint(); run(); }
  });

  // A link with ?query= (or ?example=name) reproduces a query: load it and run it.
  var params = new URLSearchParams(window.location.search);
  var named = examples.filter(function (e) { return e.name === params.get("example"); })[0];
  if (params.get("query")) { editor.value = params.get("query"); }
  else if (named) { editor.value = named.text; }
  paint();
  if (params.get("query") || named) { run(); }
})();
