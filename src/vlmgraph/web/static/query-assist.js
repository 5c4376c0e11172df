// The query page's helpers around query.js: completion in the editor (prefixes, vlm: terms and
// entities by label, which insert the entity's IRI), a history of the queries run (kept in this
// browser's localStorage), and a small form for a named query's parameters that accepts names.
(function () {
  "use strict";
  var editor = document.getElementById("editor");
  if (!editor) { return; }
  var prefixes = JSON.parse(document.getElementById("prefixes").textContent);
  var terms = JSON.parse(document.getElementById("vocabulary-terms").textContent);
  var examples = JSON.parse(document.getElementById("example-queries").textContent);
  var runButton = document.getElementById("run");

  // Tell query.js (which paints the highlighted copy) that the text changed.
  function changed() { editor.dispatchEvent(new Event("input")); }

  // --- history
  var HISTORY_KEY = "vlmgraph.queryHistory";
  var HISTORY_SIZE = 30;
  var historyList = document.getElementById("history");
  var historyEmpty = document.getElementById("history-empty");

  function loadHistory() {
    try { return JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]"); } catch (e) { return []; }
  }

  function showHistory() {
    var items = loadHistory();
    historyList.textContent = "";
    historyEmpty.hidden = items.length > 0;
    items.forEach(function (text) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = text.replace(/^(#[^\n]*\n|PREFIX[^\n]*\n|\s)+/i, "").replace(/\s+/g, " ").slice(0, 120);
      button.title = text;
      button.addEventListener("click", function () { editor.value = text; changed(); editor.focus(); });
      li.appendChild(button);
      historyList.appendChild(li);
    });
  }

  function remember() {
    var text = editor.value.trim();
    if (!text) { return; }
    var items = loadHistory().filter(function (t) { return t !== text; });
    items.unshift(text);
    try { localStorage.setItem(HISTORY_KEY, JSON.stringify(items.slice(0, HISTORY_SIZE))); } catch (e) { /* full or off */ }
    showHistory();
  }

  runButton.addEventListener("click", remember);
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { remember(); }
  });
  showHistory();

  // --- completion
  var list = document.createElement("ul");
  list.id = "completions";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  editor.parentNode.appendChild(list);
  var options = [], active = 0, span = null, timer = null, asked = 0;

  function close() { list.hidden = true; options = []; span = null; }

  // The word before the caret: a prefixed name ("vlm:Vis") or a bare word ("llav").
  function wordAtCaret() {
    var end = editor.selectionStart;
    if (end !== editor.selectionEnd) { return null; }
    var before = editor.value.slice(0, end);
    var match = /([A-Za-z][\w-]*:[\w-]*|[A-Za-z][\w.-]*)$/.exec(before);
    if (!match || /[?$<"']$/.test(before.slice(0, end - match[1].length))) { return null; }
    return { start: end - match[1].length, end: end, text: match[1] };
  }

  function caretPoint() {
    // Where the caret is, from the monospace metrics of the editor: line and column.
    var before = editor.value.slice(0, editor.selectionStart).split("\n");
    var style = getComputedStyle(editor);
    var line = parseFloat(style.lineHeight) || 19;
    var probe = document.createElement("span");
    probe.style.font = style.font;
    probe.textContent = "M";
    document.body.appendChild(probe);
    var char = probe.getBoundingClientRect().width;
    probe.remove();
    return { left: 10 + before[before.length - 1].length * char - editor.scrollLeft,
             top: 10 + before.length * line - editor.scrollTop + 4 };
  }

  function show(found, at) {
    options = found;
    span = at;
    active = 0;
    list.textContent = "";
    if (!found.length) { close(); return; }
    found.forEach(function (option, index) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", index === 0 ? "true" : "false");
      var text = document.createElement("span");
      text.textContent = option.label;
      var note = document.createElement("span");
      note.className = "note";
      note.textContent = option.note;
      li.appendChild(text);
      li.appendChild(note);
      li.addEventListener("mousedown", function (event) { event.preventDefault(); accept(index); });
      list.appendChild(li);
    });
    var point = caretPoint();
    list.style.left = Math.max(0, Math.min(point.left, editor.clientWidth - 260)) + "px";
    list.style.top = point.top + "px";
    list.hidden = false;
  }

  function accept(index) {
    var option = options[index];
    if (!option || !span) { return; }
    editor.setRangeText(option.insert, span.start, span.end, "end");
    close();
    changed();
    editor.focus();
  }

  function highlight(index) {
    active = (index + options.length) % options.length;
    Array.prototype.forEach.call(list.children, function (li, i) {
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      if (i === active) { li.scrollIntoView({ block: "nearest" }); }
    });
  }

  function complete() {
    var word = wordAtCaret();
    if (!word) { close(); return; }
    var colon = word.text.indexOf(":");
    if (colon >= 0) {
      var prefix = word.text.slice(0, colon), local = word.text.slice(colon + 1).toLowerCase();
      if (prefix !== "vlm") { close(); return; }
      show(terms.filter(function (t) { return t.toLowerCase().indexOf(local) === 0; }).slice(0, 12)
        .map(function (t) { return { label: "vlm:" + t, insert: "vlm:" + t, note: /^[A-Z]/.test(t) ? "class" : "property" }; }),
        word);
      return;
    }
    if (word.text.length < 2) { close(); return; }
    var lower = word.text.toLowerCase();
    var found = Object.keys(prefixes).filter(function (p) { return p.indexOf(lower) === 0; })
      .map(function (p) { return { label: p + ":", insert: p + ":", note: "prefix" }; });
    show(found, word);
    if (word.text.length < 3) { return; }
    var ticket = ++asked;
    fetch("/api/search?limit=8&q=" + encodeURIComponent(word.text), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (hits) {
        var now = wordAtCaret();
        if (ticket !== asked || !now || now.text !== word.text) { return; }
        show(found.concat(hits.map(function (hit) {
          return { label: hit.label, insert: "<" + hit.iri + ">", note: hit.kindLabel || hit.kind };
        })), now);
      })
      .catch(function () { /* no suggestions when the server is gone */ });
  }

  editor.addEventListener("input", function (event) {
    if (!event.isTrusted) { return; }  // our own "changed" after an insertion
    clearTimeout(timer);
    timer = setTimeout(complete, 120);
  });
  // Capture phase: runs before query.js's own keys (Tab indents, Ctrl+Enter runs) on the editor.
  editor.addEventListener("keydown", function (event) {
    if (list.hidden) {
      if (event.key === " " && event.ctrlKey) { event.preventDefault(); complete(); }
      return;
    }
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
    else if ((event.key === "Enter" && !event.ctrlKey && !event.metaKey) || event.key === "Tab") {
      event.preventDefault();
      event.stopImmediatePropagation();
      accept(active);
    } else if (event.key === "Escape") { event.preventDefault(); close(); }
  }, true);
  editor.addEventListener("blur", function () { setTimeout(close, 150); });

  // --- a named query's parameters
  var form = document.getElementById("parameter-form");
  var current = null;

  function showForm(example) {
    current = example;
    form.textContent = "";
    form.hidden = !example.parameters.length;
    example.parameters.forEach(function (parameter) {
      var label = document.createElement("label");
      label.textContent = parameter.name + (parameter.type === "iri" ? " (a name)" : " (" + parameter.type + ")");
      var input = document.createElement("input");
      input.name = parameter.name;
      input.value = parameter.default || "";
      input.setAttribute("autocomplete", "off");
      label.appendChild(input);
      form.appendChild(label);
    });
    var submit = document.createElement("button");
    submit.type = "submit";
    submit.className = "primary";
    submit.textContent = "Run with these";
    form.appendChild(submit);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!current) { return; }
    var status = document.getElementById("status");
    var params = new URLSearchParams(new FormData(form));
    fetch("/query-text/" + encodeURIComponent(current.name) + "?" + params.toString())
      .then(function (response) { return response.text().then(function (text) { return { ok: response.ok, text: text }; }); })
      .then(function (answer) {
        if (!answer.ok) { status.textContent = answer.text.trim(); return; }
        editor.value = answer.text;
        changed();
        runButton.click();
      });
  });

  document.getElementById("examples").addEventListener("click", function (event) {
    var button = event.target.closest("button[data-example]");
    var example = button && examples.filter(function (e) { return e.name === button.dataset.example; })[0];
    if (example) { showForm(example); }
  });
})();

// --- CONSTRUCT and DESCRIBE graphs: nodes that came without an rdfs:label in the result get the
// catalogue's label (one SELECT for all of them), so the graph reads by name, not by IRI.
(function () {
  "use strict";
  var graphView = document.getElementById("graph-view");
  if (!graphView) { return; }
  var labelled = null;

  function relabel() {
    var data = window.vlmgraphQueryGraph;
    if (!data || data === labelled) { return; }
    labelled = data;
    var bare = data.nodes.get({ filter: function (n) { return /^https?:/.test(n.id) && !n.named; } });
    if (!bare.length) { return; }
    var query = "SELECT ?s (SAMPLE(?l) AS ?label) WHERE { VALUES ?s { " +
      bare.map(function (n) { return "<" + n.id + ">"; }).join(" ") + " } ?s rdfs:label ?l } GROUP BY ?s";
    fetch("/sparql", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded",
                                                 "Accept": "application/sparql-results+json" },
                       body: new URLSearchParams({ query: query }).toString() })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (results) {
        if (!results || window.vlmgraphQueryGraph !== data) { return; }
        data.nodes.update(results.results.bindings.map(function (row) {
          return { id: row.s.value, label: row.label.value, named: true };
        }));
      })
      .catch(function () { /* labels stay as IRIs */ });
  }

  new MutationObserver(relabel).observe(graphView, { childList: true, subtree: true });
})();
