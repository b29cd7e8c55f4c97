/* Drawing and popups for the geodata map.
 * Every string that comes from data is set with textContent: nothing from an event,
 * a source or an import is ever parsed as HTML or evaluated, whatever it contains. */
(function () {
  "use strict";

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function row(box, label, value) {
    if (value === undefined || value === null || value === "") return;
    if (Array.isArray(value)) { if (!value.length) return; value = value.join("; "); }
    var line = el("div", null, "gd-row");
    line.appendChild(el("b", label + ": "));
    line.appendChild(el("span", value));
    box.appendChild(line);
  }

  function popup(p, kinds) {
    var box = el("div", null, "gd-popup");
    var kind = kinds[p.k] || {label: p.k};
    if (p.agg) {
      box.appendChild(el("div", p.n + " × " + kind.label.toLowerCase(), "gd-title"));
      if (p.qty) row(box, "Summed quantity", Math.round(p.qty).toLocaleString());
      row(box, "Drawn as", p.dn);
      box.appendChild(el("div", "Aggregated: zoom in with “Limit to map view”, or narrow the filters, to see each event."));
      return box;
    }
    box.appendChild(el("div", p.t, "gd-title"));
    row(box, "Kind", kind.label);
    row(box, "When", p.d);
    row(box, "Where", p.pl);
    row(box, "Drawn as", p.dn);
    row(box, "Systems", p.sy);
    row(box, "Quantities", p.q);
    row(box, "Casualties", p.c);
    row(box, "Claimed by", p.a);
    row(box, "Status", p.s);
    row(box, "Discrepancies", p.di);
    box.appendChild(el("b", "Sources"));
    var list = el("ul", null, "gd-sources");
    (p.src || []).forEach(function (s) {
      list.appendChild(el("li", s[0] + ": \u201c" + s[1] + "\u201d (" + s[2] + ")"));
    });
    box.appendChild(list);
    return box;
  }

  function tooltip(p, kinds) {
    var kind = kinds[p.k] || {label: p.k};
    var text = p.agg ? p.n + " × " + kind.label.toLowerCase() : p.t;
    /* a country-level flow says so wherever it is shown: it is not a route */
    return el("span", p.schematic ? "Country-level (no route known): " + text : text);
  }

  /* A standalone map's briefing: title, filters, period and count above the map;
     attribution and the sources cited below. Every string is set as text. */
  function briefing(map, info) {
    var container = map.getContainer(), parent = container.parentNode;
    var head = el("header", null, "gd-brief gd-brief-head");
    head.appendChild(el("h1", info.title));
    (info.lines || []).forEach(function (line) { head.appendChild(el("div", line, "gd-brief-line")); });
    head.appendChild(el("div", info.count, "gd-brief-count"));
    var foot = el("footer", null, "gd-brief gd-brief-foot");
    (info.attribution || []).forEach(function (line) { foot.appendChild(el("div", line, "gd-brief-line")); });
    foot.appendChild(el("h2", info.sources_heading));
    var list = el("ol", null, "gd-brief-sources");
    (info.sources || []).forEach(function (s) {
      list.appendChild(el("li", s[0] + ": \u201c" + s[1] + "\u201d (" + s[2] + ")"));
    });
    foot.appendChild(list);
    if (info.sources_more) foot.appendChild(el("div", info.sources_more, "gd-brief-line"));
    parent.insertBefore(head, container);
    parent.insertBefore(foot, container.nextSibling);
    document.title = info.title;
    document.body.classList.add("gd-standalone");
    map.invalidateSize();
  }

  window.geodataMap = {
    briefing: briefing,
    pointToLayer: function (feature, latlng, kinds) {
      var p = feature.properties, color = (kinds[p.k] || {}).color || "#333";
      if (p.agg) {
        return L.circleMarker(latlng, {radius: 4 + 2.5 * Math.sqrt(p.n), color: color, weight: 1,
                                       fillColor: color, fillOpacity: 0.45});
      }
      if (p.gp >= 2) {  /* not a pin: an area as wide as the uncertainty */
        var area = L.circle(latlng, {radius: Math.min(p.r || 25, 400) * 1000, color: color, weight: 1.5,
                                     dashArray: "5 4", fillColor: color,
                                     fillOpacity: p.gp >= 4 ? 0.04 : 0.14});
        /* areas under everything else, once all layers are in: a wide circle must not
           take the clicks meant for the precise events inside it */
        area.on("add", function () { setTimeout(function () { area.bringToBack(); }, 0); });
        return area;
      }
      return L.circleMarker(latlng, {radius: 6, color: "#222", weight: 1, fillColor: color,
                                     fillOpacity: 0.9});
    },
    style: function (feature, kinds) {
      var p = feature.properties, kind = kinds[p.k] || {}, color = kind.color || "#333";
      if (p.arrow) return {color: color, weight: 1, fillColor: color, fillOpacity: 0.9};
      if (p.schematic) return {color: color, weight: 1.5, opacity: 0.95, dashArray: "6 5"};
      var vague = p.gp >= 3;  /* region or country at one end: not a known route */
      return {color: color, weight: Math.min(2 + 1.5 * (p.w || 1), 12), opacity: vague ? 0.45 : 0.8,
              dashArray: kind.dash || (vague ? "10 8" : null)};
    },
    bind: function (feature, layer, kinds) {
      var p = feature.properties;
      if (p.arrow) return;
      layer.bindPopup(function () { return popup(p, kinds); }, {maxWidth: 360});
      layer.bindTooltip(function () { return tooltip(p, kinds); }, {sticky: true});
    },
    ring: function (layer, ring) {
      layer.bindTooltip(function () { return el("span", ring.label); }, {sticky: true});
    },
    /* source: the outlines' URL (the dashboard serves them), or the GeoJSON itself
       (a standalone file, which makes no request) */
    basemap: function (map, source) {
      if (!map.getPane("gd-basemap")) {
        map.createPane("gd-basemap");
        map.getPane("gd-basemap").style.zIndex = 250;
      }
      window.geodataBasemapReady = false;
      var data = typeof source === "string"
        ? fetch(source).then(function (r) { return r.json(); }) : Promise.resolve(source);
      return data.then(function (data) {
        L.geoJSON(data, {pane: "gd-basemap", interactive: false,
                         style: {color: "#8c8c8c", weight: 0.7, fillColor: "#f2efe9", fillOpacity: 1}})
          .addTo(map);
        window.geodataBasemapReady = true;
      });
    }
  };
})();
