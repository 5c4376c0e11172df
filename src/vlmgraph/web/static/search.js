// Autocomplete for the header search box: suggestions from /api/search as the user types.
// Up/Down move through them, Enter opens the highlighted one (or submits the form to /search when
// none is highlighted), Escape closes the list, a click opens an entity. No libraries.
(function () {
  "use strict";
  var input = document.getElementById("search");
  var list = document.getElementById("search-suggestions");
  if (!input || !list) { return; }
  var form = input.form;
  var DELAY = 150;
  var LIMIT = 8;
  var timer = null;
  var controller = null;
  var hits = [];
  var active = -1;
  var shownFor = null;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-expanded", "false");

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var items = list.querySelectorAll("li[role=option]");
    if (!items.length) { return; }
    active = (index + items.length) % items.length;
    for (var i = 0; i < items.length; i++) {
      items[i].setAttribute("aria-selected", i === active ? "true" : "false");
    }
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({block: "nearest"});
  }

  function open(page) {
    if (page) { window.location.href = page; }
  }

  function render(results, text) {
    hits = results;
    shownFor = text;
    active = -1;
    list.textContent = "";
    input.removeAttribute("aria-activedescendant");
    if (!results.length) {
      var empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = "No match — press Enter to search";
      list.appendChild(empty);
    }
    results.forEach(function (hit, index) {
      var item = document.createElement("li");
      item.id = "search-option-" + index;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.page = hit.page;
      var name = document.createElement("span");
      name.className = "label";
      name.textContent = hit.label;
      if (hit.match && hit.match !== hit.label) {
        var match = document.createElement("span");
        match.className = "match";
        match.textContent = "“" + hit.match + "”";
        name.appendChild(match);
      }
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = hit.kindLabel || hit.kind;
      item.appendChild(name);
      item.appendChild(kind);
      // mousedown would blur the input (and close the list) before the click lands
      item.addEventListener("mousedown", function (event) { event.preventDefault(); });
      item.addEventListener("click", function () { open(hit.page); });
      list.appendChild(item);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function fetchSuggestions() {
    var text = input.value.trim();
    if (!text) { hits = []; shownFor = null; close(); return; }
    if (text.length > 200) { close(); return; }
    if (controller) { controller.abort(); }
    controller = typeof AbortController === "function" ? new AbortController() : null;
    var url = "/api/search?limit=" + LIMIT + "&q=" + encodeURIComponent(text);
    fetch(url, {headers: {"Accept": "application/json"}, signal: controller ? controller.signal : undefined})
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (results) {
        if (input.value.trim() === text && document.activeElement === input) { render(results, text); }
      })
      .catch(function () { /* aborted by a newer keystroke, or the server is gone: no list */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, DELAY);
  });

  input.addEventListener("keydown", function (event) {
    var visible = !list.hidden;
    if (event.key === "ArrowDown" || event.key === "Down") {
      event.preventDefault();
      if (!visible && hits.length && shownFor === input.value.trim()) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      highlight(active + 1);
    } else if (event.key === "ArrowUp" || event.key === "Up") {
      event.preventDefault();
      highlight(active < 0 ? -1 : active - 1);
    } else if (event.key === "Enter") {
      if (visible && active >= 0 && hits[active]) {
        event.preventDefault();
        open(hits[active].page);
      }
      // otherwise the form submits to /search
    } else if (event.key === "Escape" || event.key === "Esc") {
      if (visible) { event.preventDefault(); close(); }
    }
  });

  input.addEventListener("focus", function () {
    if (hits.length && shownFor === input.value.trim()) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
  });
  input.addEventListener("blur", function () { close(); });

  if (form) {
    form.addEventListener("submit", function (event) {
      if (!input.value.trim()) { event.preventDefault(); input.focus(); }
    });
  }
})();
