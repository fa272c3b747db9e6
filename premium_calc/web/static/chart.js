// A small line chart in inline SVG: coverage years on x, yuan on y, one line per series.
// Years without a value break the line (a gap is never drawn as data).
const NS = "http://www.w3.org/2000/svg";

function el(name, attrs, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function niceMax(value) {
  if (value <= 0) return 1;
  const step = Math.pow(10, Math.floor(Math.log10(value)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= value) return m * step;
  return 10 * step;
}

// series: [{label, color, values: [number|null per year], texts: [string per year]}]
export function lineChart(container, years, series, { title = "", empty = "" } = {}) {
  container.replaceChildren();
  if (!years.length) { container.textContent = empty; return; }
  // Drawn at the container's own width, so the labels keep their size on a phone.
  const W = Math.max(300, Math.min(900, container.clientWidth || 640));
  const H = Math.round(Math.max(220, Math.min(320, W * 0.5))), L = 50, R = 14, T = 16, B = 34;
  const max = niceMax(Math.max(1, ...series.flatMap((s) => s.values.filter((v) => v !== null))));
  const x = (i) => L + (years.length === 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (years.length - 1));
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": title });
  svg.appendChild(el("title", {}, title));
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    svg.appendChild(el("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: "#e3e3e3" }));
    svg.appendChild(el("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end", "font-size": 12, fill: "#555" },
      Math.round(v).toLocaleString("en-US")));
  }
  const every = Math.max(1, Math.ceil(years.length / 8));
  years.forEach((yr, i) => {
    if (i % every === 0 || i === years.length - 1) {
      svg.appendChild(el("text", { x: x(i), y: H - 12, "text-anchor": "middle", "font-size": 12, fill: "#555" }, String(yr)));
    }
  });
  for (const s of series) {
    let d = "";
    s.values.forEach((v, i) => {
      if (v === null) { d += " "; return; }
      const prev = i > 0 ? s.values[i - 1] : null;
      d += `${prev === null || i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    });
    svg.appendChild(el("path", { d: d.trim(), fill: "none", stroke: s.color, "stroke-width": 2.5, "stroke-dasharray": s.dash || "" }));
    s.values.forEach((v, i) => {
      if (v === null) return;
      const dot = el("circle", { cx: x(i), cy: y(v), r: 3.5, fill: s.color });
      dot.appendChild(el("title", {}, `${years[i]}: ${s.texts[i]}`));
      svg.appendChild(dot);
    });
  }
  const legend = document.createElement("div");
  legend.className = "legend";
  for (const s of series) {
    const item = document.createElement("span");
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = s.color;
    item.append(sw, s.label);
    legend.appendChild(item);
  }
  container.append(svg, legend);
}
