// Result tables of the query page: sortable columns, a filter box and pages of rows. It works on
// the table query.js renders into #table-view (watched for changes), so rendering stays there.
(function () {
  "use strict";
  var view = document.getElementById("table-view");
  if (!view) { return; }
  var PAGE = 50;

  function cellValue(cell) {
    var text = cell.textContent.trim();
    var number = Number(text.split(" ")[0]);
    return text !== "" && !isNaN(number) ? number : text.toLowerCase();
  }

  function enhance(table) {
    if (table.dataset.enhanced) { return; }
    table.dataset.enhanced = "true";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var shown = rows, page = 0, sortColumn = -1, ascending = true;

    var bar = document.createElement("div");
    bar.className = "table-tools";
    var filter = document.createElement("input");
    filter.type = "search";
    filter.id = "result-filter";
    filter.placeholder = "Filter rows…";
    filter.setAttribute("aria-label", "Filter the result rows");
    var pager = document.createElement("span");
    pager.className = "pager";
    var previous = document.createElement("button");
    previous.type = "button"; previous.id = "page-previous"; previous.textContent = "Previous";
    var next = document.createElement("button");
    next.type = "button"; next.id = "page-next"; next.textContent = "Next";
    var where = document.createElement("span");
    where.id = "page-status"; where.className = "muted";
    pager.appendChild(previous); pager.appendChild(where); pager.appendChild(next);
    bar.appendChild(filter); bar.appendChild(pager);
    view.insertBefore(bar, view.firstChild);

    function draw() {
      var pages = Math.max(1, Math.ceil(shown.length / PAGE));
      page = Math.min(page, pages - 1);
      body.textContent = "";
      shown.slice(page * PAGE, (page + 1) * PAGE).forEach(function (row) { body.appendChild(row); });
      where.textContent = shown.length ? "rows " + (page * PAGE + 1) + "–" + Math.min(shown.length, (page + 1) * PAGE) +
        " of " + shown.length : "no row matches";
      previous.disabled = page === 0;
      next.disabled = page >= pages - 1;
      pager.hidden = rows.length <= PAGE;
    }

    filter.addEventListener("input", function () {
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      shown = rows.filter(function (row) {
        var text = row.textContent.toLowerCase();
        return words.every(function (w) { return text.indexOf(w) >= 0; });
      });
      page = 0;
      draw();
    });
    previous.addEventListener("click", function () { page--; draw(); });
    next.addEventListener("click", function () { page++; draw(); });

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      button.title = "Sort by " + th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        ascending = sortColumn === column ? !ascending : true;
        sortColumn = column;
        var order = function (a, b) {
          var x = cellValue(a.cells[column]), y = cellValue(b.cells[column]);
          if (typeof x !== typeof y) { return typeof x === "number" ? -1 : 1; }
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        };
        rows.sort(order);
        shown.sort(order);
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, i) {
          cell.setAttribute("aria-sort", i === column ? (ascending ? "ascending" : "descending") : "none");
        });
        page = 0;
        draw();
      });
    });
    draw();
  }

  new MutationObserver(function () {
    var table = view.querySelector("table.results");
    if (table) { enhance(table); }
  }).observe(view, { childList: true });
})();
