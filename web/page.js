// What every Stampede page's script builds its DOM with: an element by id, and a new element
// with attributes ("class", "text", "style" set as properties) and children (nodes, or values
// shown as text); and a watched series' value as its unit writes it.
"use strict";

const StampedePage = (() => {
  const $ = (id) => document.getElementById(id);
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k === "style") node.style.cssText = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }
  // A watched series' value as its unit writes it ("512.0 MiB", "0.42 cores", "81.3 %").
  // `fine`: one more digit, for an axis whose ticks are close together.
  function watchedText(v, unit, fine) {
    if (v === null || v === undefined || !isFinite(v)) return "–";
    const more = fine ? 1 : 0;
    const bytes = (b) => {
      const units = ["B", "KiB", "MiB", "GiB", "TiB"];
      let i = 0;
      while (Math.abs(b) >= 1024 && i < 4) { b /= 1024; i++; }
      return i ? b.toFixed(1 + more) + " " + units[i] : b.toFixed(0) + " B";
    };
    const plain = (x) => Math.abs(x) >= 100 ? x.toFixed(0) : Number(x.toPrecision(3 + more)).toString();
    switch (unit) {
      case "B": return bytes(v);
      case "B/s": return bytes(v) + "/s";
      case "s": return Math.abs(v) < 1 ? (v * 1000).toFixed(1 + more) + " ms" : v.toFixed(2 + more) + " s";
      case "ratio": return (100 * v).toFixed(1 + more) + " %";
      case "cores": return v.toFixed(2 + more) + " cores";
      case "/s": return plain(v) + "/s";
      default: return plain(v) + (unit ? " " + unit : "");
    }
  }

  return { $, el, watchedText };
})();
