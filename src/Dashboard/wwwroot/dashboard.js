// Pipelines dashboard: reads the server's event stream (a snapshot a few times a second) and draws it with plain DOM and
// SVG. No framework, nothing loaded from elsewhere. Every element the page draws carries data-* attributes that say what
// it shows, for tests and for anyone scripting the page.
"use strict";

(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const WINDOW_MS = 60_000;
  const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295", "#a0cbe8"];

  const colours = new Map();      // qualified method name -> colour, in the order methods are first seen
  const bars = new Map();         // task-stream bar id -> bar (the server sends only what changed)
  let methods = [];               // the latest snapshot's methods
  let selected = null;            // the method the drill-down shows
  let graphShape = "";            // the nodes and edges last laid out: a new layout only when they change
  let layout = null;
  let updates = 0;

  // ------------------------------------------------------------------ helpers

  const $ = (id) => document.getElementById(id);
  const number = (n) => (n ?? 0).toLocaleString("en-US");

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes ?? {})) {
      if (value !== null && value !== undefined) node.setAttribute(name, value);
    }
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes ?? {})) {
      if (value !== null && value !== undefined) node.setAttribute(name, value);
    }
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "";
    if (seconds < 0.001) return `${Math.round(seconds * 1e6)} µs`;
    if (seconds < 1) return `${(seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1)} ms`;
    if (seconds < 120) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
    const minutes = Math.floor(seconds / 60);
    return minutes < 120 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }

  function colourOf(method) {
    if (!colours.has(method)) colours.set(method, PALETTE[colours.size % PALETTE.length]);
    return colours.get(method);
  }

  function shortName(qualified) {
    const known = methods.find((m) => m.qualifiedName === qualified);
    return known ? known.name : qualified.slice(qualified.lastIndexOf(".") + 1);
  }

  function swatch(method) {
    const mark = element("span", { class: "swatch", "aria-hidden": "true" });
    mark.style.background = colourOf(method);
    return mark;
  }

  // ------------------------------------------------------------------ the stream

  function connect() {
    const source = new EventSource("events");
    source.addEventListener("snapshot", (event) => {
      const snapshot = JSON.parse(event.data);
      render(snapshot);
      updates++;
      const status = $("status");
      status.dataset.state = "live";
      status.dataset.updates = String(updates);
      status.textContent = "live";
    });
    source.addEventListener("error", () => {
      const status = $("status");
      status.dataset.state = "disconnected";
      status.textContent = "disconnected — retrying";
    });
  }

  function render(snapshot) {
    methods = snapshot.methods;
    if (selected !== null && !drilling && updates % 4 === 3) void drill(selected, true); // the open drill-down stays live
    for (const method of methods) colourOf(method.qualifiedName);
    renderSummary(snapshot);
    renderProgress(snapshot);
    renderTaskStream(snapshot);
    renderGraph(snapshot);
    renderFailures(snapshot);
    renderExecutors(snapshot);
  }

  // ------------------------------------------------------------------ summary and progress

  function renderSummary(snapshot) {
    const sum = (field) => methods.reduce((total, m) => total + m[field], 0);
    $("total-submitted").textContent = number(sum("submitted"));
    $("total-done").textContent = number(sum("done"));
    $("total-running").textContent = number(sum("running"));
    const faulted = $("total-faulted");
    faulted.textContent = number(sum("faulted"));
    faulted.classList.toggle("nonzero", sum("faulted") > 0);
    $("total-rate").textContent = number(Math.round(sum("rate")));
    $("elapsed").textContent = duration(snapshot.elapsedSeconds);
  }

  function renderProgress() {
    const body = document.querySelector("#progress tbody");
    const rows = methods.map((method) => progressRow(method, method.qualifiedName, false));
    if (methods.length > 1) {
      const total = { submitted: 0, queued: 0, running: 0, succeeded: 0, faulted: 0, cancelled: 0, rate: 0, done: 0 };
      for (const m of methods) for (const key of Object.keys(total)) total[key] += m[key];
      rows.push(progressRow({ ...total, name: "all", etaSeconds: null, meanSeconds: null }, "*", true));
    }
    body.replaceChildren(...rows);
    $("progress-empty").hidden = methods.length > 0;
  }

  function progressRow(method, key, isTotal) {
    const row = element("tr", { "data-method": key, class: isTotal ? "total" : null });
    const name = element("td");
    const label = element("span", { class: "method", title: key });
    if (!isTotal) label.append(swatch(key));
    label.append(document.createTextNode(method.name));
    name.append(label);
    row.append(name);

    const barCell = element("td");
    const bar = element("div", { class: "progress-bar", role: "img", "aria-label": `${method.done} of ${method.submitted} done` });
    const whole = Math.max(method.submitted, method.done, 1);
    for (const part of ["succeeded", "faulted", "cancelled", "running"]) {
      const segment = element("span", { class: part, title: `${method[part]} ${part}` });
      segment.style.width = `${(100 * method[part]) / whole}%`;
      bar.append(segment);
    }
    barCell.append(bar);
    row.append(barCell);

    for (const field of ["submitted", "queued", "running", "succeeded", "faulted", "cancelled"]) {
      const cell = element("td", { class: `number ${field}-count${field === "faulted" && method.faulted > 0 ? " nonzero" : ""}`, "data-field": field }, number(method[field]));
      if (field === "faulted" && method.faultedWithoutRunning > 0) cell.title = `${method.faultedWithoutRunning} of them never ran: an argument failed`;
      row.append(cell);
    }
    row.append(element("td", { class: "number", "data-field": "rate" }, method.rate >= 10 ? number(Math.round(method.rate)) : method.rate.toFixed(1)));
    const done = method.queued + method.running === 0;
    row.append(element("td", { class: "number", "data-field": "eta" }, done ? "done" : method.etaSeconds === null ? "—" : duration(method.etaSeconds)));
    row.append(element("td", { class: "number", "data-field": "mean", title: "exact for async and remote calls, sampled for calls on worker threads" }, method.meanSeconds === null ? "—" : duration(method.meanSeconds)));
    return row;
  }

  // ------------------------------------------------------------------ task stream

  function renderTaskStream(snapshot) {
    for (const bar of snapshot.taskStream.bars) bars.set(bar.id, bar);
    const now = snapshot.time;
    for (const [id, bar] of bars) if (!bar.running && bar.end < now - WINDOW_MS) bars.delete(id);
    // The last minute, or less while the recording is younger: 10 s, 20 s, … so a short job is not a sliver.
    const windowMs = Math.min(WINDOW_MS, Math.max(10_000, Math.ceil(snapshot.elapsedSeconds / 10) * 10_000));
    const start = now - windowMs;

    const lanes = [...new Set([...bars.values()].map((b) => b.lane))].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    const chart = $("task-stream");
    const width = Math.max(chart.clientWidth || chart.parentElement.clientWidth || 800, 400);
    const left = 150;
    const laneHeight = 18;
    const height = Math.max(lanes.length, 1) * laneHeight + 22;
    chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
    chart.setAttribute("height", String(height));
    const x = (t) => left + ((t - start) / windowMs) * (width - left - 4);

    const children = [];
    const step = [1, 2, 5, 10, 15, 20, 30].find((seconds) => windowMs / 1000 / seconds <= 6) ?? 30;
    for (let s = 0; s <= windowMs / 1000 + 1e-9; s += step) {
      const at = x(now - s * 1000);
      children.push(svg("line", { class: "tick-line", x1: at, x2: at, y1: 0, y2: height - 18 }));
      children.push(svg("text", { class: "tick", x: at, y: height - 4, "text-anchor": "middle" }, s === 0 ? "now" : `−${s} s`));
    }
    lanes.forEach((lane, i) => {
      const y = i * laneHeight;
      children.push(svg("line", { class: "lane-line", x1: left, x2: width, y1: y + laneHeight - 0.5, y2: y + laneHeight - 0.5 }));
      children.push(svg("text", { class: "lane-name", x: left - 6, y: y + 13, "text-anchor": "end" }, lane.length > 24 ? lane.slice(0, 23) + "…" : lane));
    });
    const laneIndex = new Map(lanes.map((lane, i) => [lane, i]));
    for (const bar of bars.values()) {
      if (bar.end < start) continue;
      const from = Math.max(x(bar.start), left);
      const to = Math.max(x(bar.end), from + 1.5);
      const y = laneIndex.get(bar.lane) * laneHeight + 2;
      const rect = svg("rect", {
        class: `bar${bar.running ? " running" : ""}${bar.faulted > 0 ? " faulted" : ""}`,
        x: from.toFixed(1), y, width: (to - from).toFixed(1), height: laneHeight - 5,
        fill: colourOf(bar.method), "fill-opacity": bar.calls > 1 ? 0.75 : 1,
        "data-method": bar.method, "data-lane": bar.lane, "data-calls": bar.calls, "data-faulted": bar.faulted,
      });
      const what = bar.calls > 1 ? `${number(bar.calls)} calls, mostly ${shortName(bar.method)}` : `${shortName(bar.method)}${bar.label ? " " + bar.label : ""}`;
      rect.append(svg("title", {}, `${what}${bar.faulted ? ` — ${bar.faulted} threw` : ""}${bar.running ? " — running" : ""} — ${duration((bar.end - bar.start) / 1000)} on ${bar.lane}`));
      children.push(rect);
      if (bar.faulted > 0) {
        children.push(svg("path", { class: "failure-mark", d: `M${to.toFixed(1)},${y - 1} l4,0 l-4,6 z`, "data-method": bar.method }));
      }
    }
    if (lanes.length === 0) children.push(svg("text", { class: "tick", x: left, y: 14 }, "Nothing ran in the last minute."));
    chart.replaceChildren(...children);

    const legend = $("stream-legend");
    legend.replaceChildren(...methods.map((m) => {
      const item = element("span", { class: "method" });
      item.append(swatch(m.qualifiedName), document.createTextNode(m.name));
      return item;
    }));
  }

  // ------------------------------------------------------------------ grouped graph

  // The graph is built when its nodes or edges change and updated in place otherwise, so a node stays the same element
  // between updates (a click on it is never lost to a redraw).
  function renderGraph(snapshot) {
    const names = methods.map((m) => m.qualifiedName);
    for (const edge of snapshot.edges) for (const end of [edge.from, edge.to]) if (!names.includes(end)) names.push(end);
    const shape = JSON.stringify([names, snapshot.edges.map((e) => [e.from, e.to])]);
    const chart = $("graph");
    if (shape !== graphShape) {
      graphShape = shape;
      layout = layOut(names, snapshot.edges);
      buildGraph(chart, names, snapshot.edges);
    }
    for (const edge of snapshot.edges) {
      const group = chart.querySelector(`g.edge[data-from="${CSS.escape(edge.from)}"][data-to="${CSS.escape(edge.to)}"]`);
      group.dataset.count = String(edge.count);
      group.querySelector("text").textContent = `×${number(edge.count)}`;
    }
    for (const group of chart.querySelectorAll("g.node")) {
      const name = group.dataset.method;
      const method = methods.find((m) => m.qualifiedName === name);
      group.setAttribute("class", `node kind-${kindOf(method)}${name === selected ? " selected" : ""}`);
      group.dataset.submitted = String(method ? method.submitted : 0);
      group.dataset.done = String(method ? method.done : 0);
      group.dataset.faulted = String(method ? method.faulted : 0);
      const [first, second] = group.querySelectorAll("text.counts");
      if (!method) {
        first.textContent = "futures passed in";
        continue;
      }
      first.textContent = `${number(method.done)}/${number(method.submitted)} done · ${number(method.running)} running`;
      const problems = [];
      if (method.faulted) problems.push(`${number(method.faulted - method.faultedWithoutRunning)} threw`);
      if (method.faultedWithoutRunning) problems.push(`${number(method.faultedWithoutRunning)} not run`);
      if (method.cancelled) problems.push(`${number(method.cancelled)} cancelled`);
      if (method.queued) problems.push(`${number(method.queued)} queued`);
      second.textContent = problems.join(" · ") || (method.meanSeconds !== null ? `mean ${duration(method.meanSeconds)}` : "");
    }
  }

  function buildGraph(chart, names, edges) {
    chart.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);
    chart.setAttribute("width", String(layout.width)); // drawn at its size, scrolled when wider than the page
    chart.setAttribute("height", String(layout.height));
    const defs = svg("defs");
    const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" });
    marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#9aa0a6" }));
    defs.append(marker);
    const children = [defs];
    for (const edge of edges) {
      const a = layout.nodes.get(edge.from);
      const b = layout.nodes.get(edge.to);
      const x1 = a.x + NODE_WIDTH, y1 = a.y + NODE_HEIGHT / 2, x2 = b.x, y2 = b.y + NODE_HEIGHT / 2;
      const bend = Math.max(30, (x2 - x1) / 2);
      const group = svg("g", { class: "edge", "data-from": edge.from, "data-to": edge.to });
      group.append(svg("path", { d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`, "marker-end": "url(#arrow)" }));
      group.append(svg("text", { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 4, "text-anchor": "middle" }));
      children.push(group);
    }
    for (const name of names) {
      const at = layout.nodes.get(name);
      const group = svg("g", { class: "node", transform: `translate(${at.x},${at.y})`, tabindex: "0", role: "button", "data-method": name });
      group.append(svg("rect", { class: "box", width: NODE_WIDTH, height: NODE_HEIGHT, rx: 6 }));
      group.append(svg("rect", { x: 0, y: 0, width: 6, height: NODE_HEIGHT, rx: 3, fill: colourOf(name) }));
      group.append(svg("text", { class: "name", x: 12, y: 17 }, shortName(name)));
      group.append(svg("text", { class: "counts", x: 12, y: 34 }));
      group.append(svg("text", { class: "counts", x: 12, y: 50 }));
      group.append(svg("title", {}, `${name} — click for its calls`));
      group.addEventListener("click", () => drill(name));
      group.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") drill(name); });
      children.push(group);
    }
    chart.replaceChildren(...children);
  }

  const NODE_WIDTH = 200;
  const NODE_HEIGHT = 60;

  // Layers by longest path from the sources (a cycle, which futures cannot form, is cut where it closes), ordered in
  // each layer by the mean position of their inputs, so edges cross less.
  function layOut(names, edges) {
    const inputs = new Map(names.map((n) => [n, []]));
    for (const edge of edges) if (edge.from !== edge.to) inputs.get(edge.to).push(edge.from);
    const layer = new Map();
    const visiting = new Set();
    const depth = (name) => {
      if (layer.has(name)) return layer.get(name);
      if (visiting.has(name)) return 0;
      visiting.add(name);
      const d = inputs.get(name).reduce((deepest, input) => Math.max(deepest, depth(input) + 1), 0);
      visiting.delete(name);
      layer.set(name, d);
      return d;
    };
    names.forEach(depth);
    const layers = [];
    for (const name of names) (layers[layer.get(name)] ??= []).push(name);
    const nodes = new Map();
    const gapX = 56, gapY = 20;
    layers.forEach((members, i) => {
      if (i > 0) {
        const centre = (name) => {
          const ys = inputs.get(name).map((input) => nodes.get(input)?.y).filter((y) => y !== undefined);
          return ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : Number.MAX_SAFE_INTEGER;
        };
        members.sort((a, b) => centre(a) - centre(b));
      }
      members.forEach((name, j) => nodes.set(name, { x: 10 + i * (NODE_WIDTH + gapX), y: 10 + j * (NODE_HEIGHT + gapY) }));
    });
    const tallest = Math.max(1, ...layers.map((m) => m.length));
    return { nodes, width: 20 + Math.max(1, layers.length) * (NODE_WIDTH + gapX) - gapX, height: 20 + tallest * (NODE_HEIGHT + gapY) - gapY };
  }

  function kindOf(method) {
    if (!method) return "pending";
    if (method.faulted - method.faultedWithoutRunning > 0) return "failed";
    if (method.faultedWithoutRunning > 0) return "skipped";
    if (method.cancelled > 0 && method.succeeded === 0) return "cancelled";
    if (method.running > 0) return "running";
    if (method.done === 0) return "pending";
    return "ok";
  }

  // ------------------------------------------------------------------ drill-down

  let drilling = false;

  async function drill(name, refresh) {
    selected = name;
    document.querySelectorAll("#graph .node").forEach((n) => n.classList.toggle("selected", n.dataset.method === name));
    const panel = $("drill");
    panel.hidden = false;
    panel.dataset.method = name;
    $("drill-title").textContent = shortName(name);
    if (!refresh) $("drill-note").textContent = "loading…";
    drilling = true;
    let body;
    try {
      const response = await fetch(`api/calls?method=${encodeURIComponent(name)}`);
      if (!response.ok) {
        $("drill-note").textContent = `could not load its calls (${response.status})`;
        return;
      }
      body = await response.json();
    } catch {
      $("drill-note").textContent = "could not load its calls (the dashboard is not answering)";
      return;
    } finally {
      drilling = false;
    }
    if (selected !== name) return;
    $("drill-note").textContent = body.calls.length === 0
      ? "No call of it is kept: running ones, waiting ones, failed ones and a sample of the finished ones are."
      : "Running first, then waiting (with what each waits for), then failed and finished (a sample).";
    $("drill-calls").replaceChildren(...body.calls.map(callItem));
  }

  function callItem(call) {
    const item = element("li", { class: "call", "data-state": call.state, "data-label": call.label });
    item.append(element("span", { class: "call-label" }, call.label ?? call.method));
    item.append(element("span", { class: `state ${call.state}` }, call.state.toLowerCase()));
    const details = [];
    if (call.durationSeconds !== null) details.push(`${call.state === "Running" ? "running for" : "ran"} ${duration(call.durationSeconds)}`);
    if (call.ageSeconds !== null && call.state === "Pending") details.push(`submitted ${duration(call.ageSeconds)} ago`);
    if (call.executor) details.push(`on ${call.executor}`);
    if (details.length) item.append(element("div", { class: "detail" }, details.join(" · ")));
    if (call.exceptionType) item.append(element("div", { class: "detail exception" }, `${call.exceptionType}: ${call.exceptionMessage ?? ""}`));
    if (call.waitingFor.length) {
      item.append(element("div", { class: "waiting" }, `waiting for ${call.waitingFor.length === 1 ? "1 argument" : `${call.waitingFor.length} arguments`}:`));
      const nested = element("ol");
      nested.append(...call.waitingFor.map((argument) => {
        const inner = callItem(argument);
        inner.prepend(element("span", { class: "detail" }, `${argument.method} `));
        return inner;
      }));
      item.append(nested);
    }
    return item;
  }

  // ------------------------------------------------------------------ failures and executors

  function renderFailures(snapshot) {
    const body = document.querySelector("#failures tbody");
    body.replaceChildren(...snapshot.failures.map((failure, i) => {
      const row = element("tr", { class: `failure${i === 0 ? " first" : ""}`, "data-exception-type": failure.exceptionType, "data-method": failure.method });
      row.append(element("td", {}, new Date(failure.time).toLocaleTimeString("en-GB", { hour12: false })));
      row.append(element("td", {}, `${failure.method}${failure.label ? " " + failure.label : ""}${failure.threw ? "" : " (failed elsewhere)"}`));
      row.append(element("td", { class: "exception" }, failure.exceptionType));
      row.append(element("td", { class: "message" }, failure.message));
      const victims = Object.entries(failure.tookDown).map(([method, count]) => `${method} ×${number(count)}`);
      const took = element("td", {}, victims.length ? victims.join(", ") : "nothing");
      if (failure.tookDownLabels.length) took.title = failure.tookDownLabels.join(", ");
      row.append(took);
      return row;
    }));
    $("failures-empty").hidden = snapshot.failures.length > 0;
  }

  function renderExecutors(snapshot) {
    const body = document.querySelector("#executors tbody");
    body.replaceChildren(...snapshot.executors.map((executor) => {
      const row = element("tr", { "data-executor": executor.name });
      row.append(element("td", {}, executor.name));
      row.append(element("td", {}, executor.kind));
      const busy = executor.workers === null ? null : executor.workers - (executor.idleWorkers ?? 0);
      row.append(element("td", { class: "number", "data-field": "workers" }, executor.workers === null
        ? "—"
        : `${number(busy)} / ${executor.idleWorkers === null ? "—" : number(executor.idleWorkers)} / ${executor.maxWorkers === null ? "—" : number(executor.maxWorkers)}`));
      row.append(element("td", { class: "number", "data-field": "queued" }, executor.queued === null ? "—" : number(executor.queued)));
      row.append(element("td", { class: "number", "data-field": "running" }, number(executor.running)));
      row.append(element("td", { class: "number", "data-field": "unfinished" }, number(executor.unfinished)));
      row.append(element("td", {}, executor.isBroken ? "broken" : executor.isShutdown ? "shut down" : "running"));
      return row;
    }));
  }

  connect();
})();
