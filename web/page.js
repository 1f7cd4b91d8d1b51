// What every Stampede page's script builds its DOM with: an element by id, and a new element
// with attributes ("class", "text", "style" set as properties) and children (nodes, or values
// shown as text).
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
  return { $, el };
})();
