// Packs the release timeline: models in, boxes and lane bands out, in canvas pixels at zoom 1. No
// drawing here. A box starts at its release month; in a lane, each box goes on the first row where
// it clears the box before it, so no two boxes meet and a lane is as tall as its busiest stretch.
// Models are dated to the month, and a family often releases a series at once (InternVL2.5 came in
// fourteen sizes): such a series can be stacked into one box, which is what keeps a busy year on
// one screen at a readable size.
(function () {
  "use strict";
  var ROW_GAP = 5;  // px between the rows of a lane
  var BOX_GAP = 10;  // px between two boxes of a row
  var LANE_PAD = 5;  // px above the first row and below the last
  var MIN_MONTH = 12;  // px a month is never narrower than: past it the drawing scrolls sideways
  var EMPTY_LANE = 12;  // px between the paddings of a lane with no box

  // "InternVL2_5-1B", "InternVL2_5-78B-MPO" -> "InternVL2_5": the names' common start cut back to
  // whole words, or the family's name when that says more.
  function seriesName(names, family) {
    var prefix = names.reduce(function (common, name) {
      var i = 0;
      while (i < common.length && i < name.length && common[i] === name[i]) { i++; }
      return common.slice(0, i);
    });
    var word = /[A-Za-z0-9]/;
    var split = names.some(function (name) { return name.length > prefix.length && word.test(name[prefix.length]); });
    if (split && word.test(prefix.slice(-1))) { prefix = prefix.replace(/[A-Za-z0-9]+$/, ""); }
    prefix = prefix.replace(/[\s\-_.,(]+$/, "");
    return prefix.length >= family.length ? prefix : family;
  }

  // One box per model, or per series of a family's models of one month in one lane unless the
  // reader opened it (expanded[key]).
  function boxesOf(models, o) {
    var boxes = [], series = {};
    models.forEach(function (model) {
      var family = model.families[0];
      var key = o.grouped && family ? [model.lanes[o.laning], model.month, family].join(" · ") : null;
      if (key && !o.expanded[key]) {
        (series[key] = series[key] || []).push(model);
      } else {
        boxes.push({ id: model.id, label: model.label, members: [model], month: model.month, lane: model.lanes[o.laning] });
      }
    });
    Object.keys(series).forEach(function (key) {
      var members = series[key], first = members[0];
      if (members.length === 1) {
        boxes.push({ id: first.id, label: first.label, members: members, month: first.month, lane: first.lanes[o.laning] });
        return;
      }
      var names = members.map(function (m) { return m.label; }).sort();
      boxes.push({ id: "series:" + key, key: key, members: members, month: first.month, lane: first.lanes[o.laning],
                   label: seriesName(names, first.families[0]) + " \u00d7" + members.length,
                   title: members.length + " models of the " + first.families[0] + " family released " + first.date +
                     ":\n" + names.join("\n") + "\nclick to show them one by one" });
    });
    boxes.forEach(function (box) { box.width = o.width(box.label); });
    return boxes;
  }

  // As wide as lets the window fill the space, but narrow enough that the boxes of its last months
  // end inside it too.
  function monthWidth(boxes, o) {
    var months = o.end - o.start, width = o.available / months;
    boxes.forEach(function (box) {
      var after = box.month - o.start;
      if (after > 0) { width = Math.min(width, (o.available - box.width) / after); }
    });
    return Math.max(MIN_MONTH, width);
  }

  // models: the models the filters keep (any date); o: {laning, lanes (their order), start, end
  // (months, end excluded), available (px for the window), width(label) (px of a box), boxHeight,
  // grouped, expanded}. Lanes holding a kept model are drawn even when the window has none of
  // them, with their models per year (for the page's sparklines).
  function layout(models, o) {
    var inWindow = models.filter(function (m) { return m.month >= o.start && m.month < o.end; });
    var boxes = boxesOf(inWindow, o);
    var month = monthWidth(boxes, o);
    var byLane = {}, years = {};
    models.forEach(function (m) {
      var lane = m.lanes[o.laning], year = Math.floor(m.month / 12);
      years[lane] = years[lane] || {};
      years[lane][year] = (years[lane][year] || 0) + 1;
    });
    boxes.sort(function (a, b) {
      return a.month - b.month || a.label.toLowerCase().localeCompare(b.label.toLowerCase());
    }).forEach(function (box) { (byLane[box.lane] = byLane[box.lane] || []).push(box); });
    var pitch = o.boxHeight + ROW_GAP, top = 0, right = 0, lanes = [];
    o.lanes.filter(function (name) { return years[name]; }).forEach(function (name) {
      var ends = [];  // the right edge of each row's last box
      (byLane[name] || []).forEach(function (box) {
        var left = (box.month - o.start) * month, row = 0;
        while (row < ends.length && ends[row] + BOX_GAP > left) { row++; }
        ends[row] = left + box.width;
        right = Math.max(right, ends[row]);
        box.x = left + box.width / 2;
        box.y = top + LANE_PAD + row * pitch + o.boxHeight / 2;
      });
      // a lane the window has no model of keeps a thin band: its name and per-year counts still show
      var rows = ends.length, bottom = top + 2 * LANE_PAD + Math.max(rows * pitch - ROW_GAP, EMPTY_LANE);
      var shown = (byLane[name] || []).reduce(function (n, box) { return n + box.members.length; }, 0);
      lanes.push({ name: name, top: top, bottom: bottom, rows: rows, shown: shown, years: years[name],
                   firstRow: rows ? top + LANE_PAD + o.boxHeight / 2 : (top + bottom) / 2 });
      top = bottom;
    });
    return { boxes: boxes, lanes: lanes, monthWidth: month, width: Math.max(right, (o.end - o.start) * month),
             height: top, shown: inWindow.length };
  }

  window.vlmgraphTimelineLayout = { layout: layout, seriesName: seriesName };
})();
