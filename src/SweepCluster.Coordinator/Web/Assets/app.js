// SweepCluster's live page: sweeps, a sweep, a trial and the cluster, in hash routes.
// Escaping rule (the same as report.html): every text that comes from a sweep file, a trial or the store goes into
// the page as text (textContent, attribute values through setAttribute), never as markup.
"use strict";

(function () {
  const POLL_MS = 1000;
  const main = document.getElementById("main");
  const live = document.getElementById("live");
  const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];
  const LEVEL_DASH = [[6, 4], [2, 3], []];
  const ACTIVE = new Set(["pending", "placed", "running"]);
  const DONE = new Set(["succeeded", "failed", "cancelled"]);
  let page = null; // { stop(): void } of the view on screen

  // ---- small helpers -------------------------------------------------------------------------------------------

  /** An element with attributes (set as attributes or properties, never as HTML) and children (strings become text). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "className") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, ...children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) { node.replaceChildren(); return node; }

  function text(node, value) { node.textContent = value === null || value === undefined ? "" : String(value); return node; }

  function route(...parts) { return "#/" + parts.map(encodeURIComponent).join("/"); }

  function duration(seconds) {
    if (seconds === null || seconds === undefined || !isFinite(seconds)) return "unknown";
    if (seconds < 1) return "0 s";
    const s = Math.round(seconds);
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
    return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
  }

  function when(iso) { return iso ? new Date(iso).toLocaleString() : ""; }

  function num(value, digits) {
    if (typeof value === "string") return value; // "NaN", "Infinity"
    return value === null || value === undefined ? "" : Number(value).toPrecision(digits || 5);
  }

  function stateChip(state) {
    return el("span", { className: "state state-" + String(state).replace(/[^a-z]/gi, "") }, String(state));
  }

  /** Why a trial waits or was stopped: a pending reason, or whatever reason a terminal state carries. */
  function reasonOf(trial) {
    return trial.stopReason || trial.prunedReason || trial.reason || trial.pendingReason || (trial.attempt && !ACTIVE.has(trial.state) && trial.attempt.error) || "";
  }

  class Unauthorized extends Error {}

  async function api(path) {
    const response = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.status === 401) {
      location.assign("/login");
      throw new Unauthorized("not signed in");
    }
    if (!response.ok) {
      let detail = response.status + " " + response.statusText;
      try { const body = await response.json(); detail = body.detail || body.title || detail; } catch (e) { /* not JSON */ }
      throw new Error(detail);
    }
    live.textContent = "updated " + new Date().toLocaleTimeString();
    return response.json();
  }

  /** Runs step() now and then every interval until stopped; a failed step shows its error and the loop goes on. */
  function poller(step, interval, onError) {
    let stopped = false;
    let timer = null;
    async function tick() {
      if (stopped) return;
      try { await step(); } catch (e) {
        if (e instanceof Unauthorized) { stopped = true; return; }
        if (onError) onError(e);
      }
      if (!stopped) timer = setTimeout(tick, interval);
    }
    tick();
    return { stop() { stopped = true; clearTimeout(timer); } };
  }

  function showError(node, e) { clear(node).append(el("p", { className: "error" }, String(e && e.message ? e.message : e))); }

  // ---- charts (uPlot) ------------------------------------------------------------------------------------------

  /**
   * A line chart: one series per curve ({label, x[], y[]}), levels as horizontal lines ({label, value}).
   * The container gets data-points with how many finite points the curves put on the chart.
   */
  function chart(container, title, xLabel, yLabel, curves, levels) {
    clear(container);
    const xs = Array.from(new Set(curves.flatMap((c) => c.x))).sort((a, b) => a - b);
    const data = [xs];
    const series = [{ label: xLabel }];
    let points = 0;
    curves.forEach((curve, i) => {
      const byX = new Map(curve.x.map((x, j) => [x, curve.y[j]]));
      data.push(xs.map((x) => {
        const y = byX.get(x);
        if (typeof y === "number" && isFinite(y)) { points++; return y; }
        return null;
      }));
      series.push({ label: curve.label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true, points: { show: curve.x.length < 40 } });
    });
    (levels || []).forEach((level, i) => {
      data.push(xs.map(() => level.value));
      series.push({ label: level.label + " " + num(level.value, 4), stroke: "#000", width: 1.2, dash: LEVEL_DASH[i % LEVEL_DASH.length], points: { show: false } });
    });
    container.dataset.points = String(points);
    container.dataset.series = String(curves.length);
    if (xs.length === 0) {
      container.append(el("p", { className: "muted" }, title + ": no points yet"));
      return null;
    }
    if (typeof window.uPlot !== "function") {
      container.append(el("p", { className: "warnings" }, title + ": the chart library is not in this build (build with ./build.sh)"));
      return null;
    }
    const width = Math.max(320, Math.min(640, (container.parentElement || main).clientWidth - 20));
    return new window.uPlot({
      title: title, width: width, height: 300,
      scales: { x: { time: false } },
      axes: [{ label: xLabel }, { label: yLabel }],
      series: series,
      legend: { live: false },
    }, data, container);
  }

  // ---- sweeps --------------------------------------------------------------------------------------------------

  function countsChips(counts) {
    return el("span", { className: "counts" },
      Object.entries(counts || {}).filter(([, n]) => n > 0).map(([state, n]) => el("span", { className: "chip" }, stateChip(state), " " + n)));
  }

  function progressBar(progress) {
    const bar = el("span", { className: "bar", title: Math.round(progress * 100) + "%" }, el("span"));
    bar.firstChild.style.width = Math.round(progress * 100) + "%";
    return bar;
  }

  function sweepsPage() {
    const body = el("tbody");
    append(clear(main), el("h1", {}, "Sweeps"),
      el("div", { className: "scroll" }, el("table", { id: "sweeps" },
        el("thead", {}, el("tr", {}, ["sweep", "question", "trials", "progress", "time left", "submitted"].map((h) => el("th", {}, h)))), body)));
    return poller(async () => {
      const sweeps = await api("/api/web/sweeps");
      clear(body);
      if (sweeps.length === 0) body.append(el("tr", {}, el("td", { colspan: 6, className: "muted" }, "No sweep yet.")));
      for (const s of sweeps) {
        body.append(el("tr", { dataset: { sweep: s.sweep.id } },
          el("td", {}, el("a", { href: route("sweep", s.sweep.id) }, s.sweep.name), el("div", { className: "muted mono" }, s.sweep.id)),
          el("td", {}, s.sweep.question),
          el("td", {}, countsChips(s.status.counts)),
          el("td", {}, progressBar(s.status.progress), " " + s.status.finished + "/" + s.status.total),
          el("td", {}, s.status.finished === s.status.total ? "done" : duration(s.status.etaSeconds)),
          el("td", {}, when(s.sweep.submittedAt))));
      }
    }, POLL_MS * 2, (e) => showError(body, e));
  }

  // ---- a sweep -------------------------------------------------------------------------------------------------

  function sweepPage(sweepId) {
    const title = el("h1", {}, sweepId);
    const question = el("p", { className: "question" });
    const description = el("p", { className: "muted" });
    const statusLine = el("div", { className: "summary-line", id: "status" });
    const matrixBox = el("div", { id: "matrix" });
    const waitingBox = el("div", { id: "waiting" });
    const trialsBody = el("tbody");
    const configsBox = el("div", { id: "configs" });
    const errorBox = el("div");
    append(clear(main), title, question, description, statusLine, errorBox,
      el("h2", {}, "Test matrix"), matrixBox,
      el("h2", {}, "Waiting and stopped early"), waitingBox,
      el("h2", {}, "Trials"),
      el("div", { className: "scroll" }, el("table", { id: "trials" },
        el("thead", {}, el("tr", {}, ["trial", "configuration", "seed", "state", "attempt", "progress", "reason"].map((h) => el("th", {}, h)))), trialsBody)),
      el("h2", {}, "Configurations"), configsBox);

    const trials = new Map(); // id -> trial
    const rows = new Map(); // id -> tr
    const sections = new Map(); // config key -> { details, body, open }
    let cursor = 0;
    let matrix = null;

    function trialRow(t) {
      const attempt = t.attempt;
      const progress = attempt && attempt.progress
        ? attempt.progress.step + (attempt.progress.totalSteps ? " / " + attempt.progress.totalSteps : "") + " steps"
        : "";
      return el("tr", { id: "trial-" + t.id, dataset: { trial: t.id, state: t.state } },
        el("td", { className: "mono" }, el("a", { href: route("trial", t.id) }, t.id)),
        el("td", {}, t.configName),
        el("td", {}, String(t.seed)),
        el("td", { className: "state-cell" }, stateChip(t.state)),
        el("td", {}, t.currentAttempt + " / " + t.maxAttempts),
        el("td", {}, progress),
        el("td", {}, reasonOf(t)));
    }

    function renderTrial(t) {
      trials.set(t.id, t);
      const row = trialRow(t);
      const old = rows.get(t.id);
      if (old) old.replaceWith(row); else trialsBody.append(row);
      rows.set(t.id, row);
    }

    function renderWaiting() {
      // Pending trials, and trials in any terminal state other than succeeded, failed and cancelled (pruned: stopped
      // early), each with its reason; failed trials' errors are in the trials table.
      const waiting = Array.from(trials.values()).filter((t) => t.state === "pending" || !(ACTIVE.has(t.state) || DONE.has(t.state)));
      clear(waitingBox);
      if (waiting.length === 0) { waitingBox.append(el("p", { className: "muted" }, "None.")); return; }
      waitingBox.append(el("table", {}, el("thead", {}, el("tr", {}, ["trial", "configuration", "seed", "state", "reason"].map((h) => el("th", {}, h)))),
        el("tbody", {}, waiting.map((t) => el("tr", { dataset: { trial: t.id } },
          el("td", { className: "mono" }, el("a", { href: route("trial", t.id) }, t.id)), el("td", {}, t.configName), el("td", {}, String(t.seed)),
          el("td", {}, stateChip(t.state)), el("td", {}, reasonOf(t)))))));
    }

    function renderStatus(status) {
      clear(statusLine);
      append(statusLine, countsChips(status.counts),
        el("span", {}, progressBar(status.progress), " " + status.finished + " / " + status.total + " finished"),
        el("span", { id: "eta" }, status.finished === status.total ? "done" : "time left: " + duration(status.etaSeconds)),
        el("a", { href: "/api/sweeps/" + encodeURIComponent(sweepId) + "/report/html" }, "report.html"));
    }

    function renderMatrix(m) {
      matrix = m;
      clear(matrixBox);
      matrixBox.append(el("p", { className: "muted" }, "Values are mean ± sample standard deviation (n - 1) over the succeeded seeds. Verdict rule: " + m.rule),
        el("p", { className: "muted" }, m.verdictBasis));
      const table = el("table", { id: "matrix-table" },
        el("thead", {}, el("tr", {}, m.headers.map((h) => el("th", {}, h)))),
        el("tbody", {}, m.rows.map((r) => el("tr", { className: r.kind === "configuration" ? "" : "reference", dataset: { config: r.configKey } },
          r.cells.map((c, i) => {
            if (i === 0 && r.hasSection) return el("td", {}, el("a", { href: "#", onclick: (ev) => { ev.preventDefault(); openSection(r.configKey, true); } }, c));
            return el("td", { className: i === m.verdictColumn && r.verdict ? "verdict-" + r.verdict : "" }, c);
          })))));
      matrixBox.append(el("div", { className: "scroll" }, table));
      if (m.warnings.length > 0) matrixBox.append(el("ul", { className: "warnings" }, m.warnings.map((w) => el("li", {}, w))));
      renderSections();
    }

    function renderSections() {
      const withSections = matrix.rows.filter((r) => r.hasSection);
      for (const r of withSections) {
        if (sections.has(r.configKey)) continue;
        const body = el("div", { className: "config-body" });
        const details = el("details", { className: "config", dataset: { config: r.configKey } }, el("summary", {}, r.configName), body);
        const section = { details: details, body: body, loaded: false };
        details.addEventListener("toggle", () => { if (details.open) loadSection(r.configKey); });
        sections.set(r.configKey, section);
        configsBox.append(details);
      }
      // A few configurations are shown open; a large sweep's are opened one by one.
      if (withSections.length <= 6) withSections.forEach((r) => openSection(r.configKey, false));
      sections.forEach((s, key) => { if (s.details.open) loadSection(key); });
    }

    function openSection(key, scroll) {
      const section = sections.get(key);
      if (!section) return;
      if (!section.details.open) section.details.open = true; else loadSection(key);
      if (scroll) section.details.scrollIntoView({ behavior: "smooth" });
    }

    async function loadSection(key) {
      const section = sections.get(key);
      if (!section || section.loading) return;
      section.loading = true;
      try {
        const view = await api("/api/web/sweeps/" + encodeURIComponent(sweepId) + "/config?key=" + encodeURIComponent(key));
        renderSection(section.body, view);
      } catch (e) {
        if (!(e instanceof Unauthorized)) showError(section.body, e);
      } finally {
        section.loading = false;
      }
    }

    function renderSection(body, view) {
      clear(body);
      body.append(el("p", {}, view.status + "; seeds " + view.seeds.join(", ")));
      if (view.parameters.length > 0) body.append(el("p", { className: "mono" }, view.parameters.join("; ")));
      const loss = el("div", { className: "plot loss-plot" });
      const psnr = el("div", { className: "plot psnr-plot" });
      body.append(el("div", { className: "plots" }, loss, psnr));
      const seedCurve = (c) => ({ label: "seed " + c.seed, x: c.x, y: c.y });
      chart(loss, view.lossIsExcess ? "cross loss minus its noise floor, per epoch" : "cross loss per epoch", "epoch",
        view.lossIsExcess ? "excess over floor" : "cross loss", view.loss.map(seedCurve), view.lossIsExcess ? [{ label: "noise floor", value: 0 }] : []);
      chart(psnr, "PSNR of the cross outputs per evaluation", "step", "PSNR (dB)", view.psnr.map(seedCurve), view.references);
      if (view.panels.length > 0) {
        const panels = el("div", { className: "panels" });
        body.append(panels);
        for (const p of view.panels) panels.append(panelFigure(p));
      }
    }

    async function step() {
      const view = await api("/api/web/sweeps/" + encodeURIComponent(sweepId) + "/view" + (cursor > 0 ? "?after=" + cursor : ""));
      cursor = view.cursor;
      if (view.sweep) {
        text(title, view.sweep.name);
        document.title = view.sweep.name + ": SweepCluster";
        text(question, view.sweep.question ? "Question: " + view.sweep.question : "");
        text(description, view.sweep.description);
      }
      if (view.full) { trials.clear(); rows.clear(); clear(trialsBody); }
      view.trials.forEach(renderTrial);
      renderStatus(view.status);
      renderWaiting();
      if (view.matrix) renderMatrix(view.matrix);
      clear(errorBox);
    }

    return poller(step, POLL_MS, (e) => showError(errorBox, e));
  }

  function panelFigure(p) {
    const img = el("img", { alt: p.name, "data-artifact": p.artifactId });
    const figure = el("figure", {}, img, el("figcaption", {}, p.name + " (trial " + p.trialId + ")"));
    // Fetched as a blob so the image's type is known whatever the artifact address answers.
    fetch("/api/trials/" + encodeURIComponent(p.trialId) + "/artifacts/" + encodeURIComponent(p.artifactId), { credentials: "same-origin" })
      .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(r.status))))
      .then((blob) => {
        img.src = URL.createObjectURL(new Blob([blob], { type: "image/png" }));
        img.addEventListener("load", () => {
          // Whole multiples with pixelated scaling, as report.html shows them: each pixel a sharp square.
          const scale = Math.max(1, Math.min(8, Math.floor(1024 / Math.max(1, img.naturalWidth))));
          img.width = img.naturalWidth * scale;
          img.height = img.naturalHeight * scale;
        }, { once: true });
      })
      .catch(() => figure.append(el("p", { className: "warnings" }, "panel not readable")));
    return figure;
  }

  // ---- a trial -------------------------------------------------------------------------------------------------

  function trialPage(trialId) {
    const title = el("h1", {}, "Trial " + trialId);
    const head = el("div", { className: "summary-line", id: "trial-head" });
    const attemptsBox = el("div", { id: "attempts" });
    const metricsBox = el("div", { id: "latest-metrics" });
    const lossPlot = el("div", { className: "plot", id: "trial-loss" });
    const psnrPlot = el("div", { className: "plot", id: "trial-psnr" });
    const logBox = el("pre", { className: "block", id: "log-tail" });
    const configPre = el("pre", { className: "block", id: "config" });
    const copyStatus = el("span", { className: "muted", id: "copy-status" });
    const copyButton = el("button", { id: "copy-config", type: "button" }, "Copy as a sweepcluster train config");
    const checkpointBox = el("p", { id: "checkpoint" });
    const errorBox = el("div");
    append(clear(main), title, head, errorBox,
      el("h2", {}, "Metrics"), el("div", { className: "plots" }, lossPlot, psnrPlot), metricsBox,
      el("h2", {}, "Attempts"), attemptsBox,
      el("h2", {}, "Log tail"), logBox,
      el("h2", {}, "Checkpoint"), checkpointBox,
      el("h2", {}, "Resolved configuration"),
      el("div", { className: "actions" }, copyButton, copyStatus),
      el("p", { className: "muted" }, "Save it as trial.json and run: sweepcluster train --config trial.json"),
      configPre);

    let configText = "";
    copyButton.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(configText);
        text(copyStatus, "copied");
      } catch (e) {
        // No clipboard permission (plain http on another host): select the text for a manual copy.
        const range = document.createRange();
        range.selectNodeContents(configPre);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        text(copyStatus, "selected: press Ctrl+C to copy");
      }
    });

    let eventCursor = 0;
    const events = [];
    let done = false;

    async function step() {
      if (done) return;
      const base = "/api/trials/" + encodeURIComponent(trialId);
      const [trial, attempts, metrics, artifacts, newEvents] = await Promise.all([
        api(base), api(base + "/attempts"), api(base + "/metrics"), api(base + "/artifacts"),
        api("/api/events?trialId=" + encodeURIComponent(trialId) + "&afterId=" + eventCursor + "&limit=1000")]);
      for (const e of newEvents) { events.push(e); eventCursor = Math.max(eventCursor, e.id); }
      text(title, trial.configName + " · seed " + trial.seed);
      clear(head);
      append(head, stateChip(trial.state), el("span", { className: "mono" }, trial.id),
        el("span", {}, "attempt " + trial.currentAttempt + " / " + trial.maxAttempts),
        el("a", { href: route("sweep", trial.sweepId) }, "sweep " + trial.sweepId),
        reasonOf(trial) ? el("span", { className: "muted", id: "reason" }, reasonOf(trial)) : null);
      const json = JSON.stringify(trial.config, null, 2) + "\n";
      if (json !== configText) { configText = json; text(configPre, json); }
      renderAttempts(attempts);
      renderMetrics(metrics);
      renderLog(attempts);
      renderCheckpoint(trial, artifacts);
      clear(errorBox);
      if (!ACTIVE.has(trial.state)) done = true;
    }

    function renderAttempts(attempts) {
      clear(attemptsBox);
      if (attempts.length === 0) { attemptsBox.append(el("p", { className: "muted" }, "Not placed yet.")); return; }
      attemptsBox.append(el("div", { className: "scroll" }, el("table", { id: "attempts-table" },
        el("thead", {}, el("tr", {}, ["#", "state", "silo", "slots", "started", "ended", "progress", "why it ended"].map((h) => el("th", {}, h)))),
        el("tbody", {}, attempts.map((a) => el("tr", {},
          el("td", {}, String(a.number)), el("td", {}, stateChip(a.state)), el("td", { className: "mono" }, a.siloId),
          el("td", { className: "mono" }, a.slotIds.join(", ")), el("td", {}, when(a.startedAt)), el("td", {}, when(a.endedAt)),
          el("td", {}, a.progress ? a.progress.step + (a.progress.totalSteps ? " / " + a.progress.totalSteps : "") : ""),
          el("td", {}, a.error ? el("pre", { className: "mono" }, a.error) : (a.endedAt ? a.state : ""))))))));
    }

    function curvesOf(metrics, match) {
      const byAttempt = new Map();
      for (const m of metrics) {
        if (!match(m.name)) continue;
        const key = m.name + " (attempt " + m.attempt + ")";
        if (!byAttempt.has(key)) byAttempt.set(key, { label: key, x: [], y: [] });
        const curve = byAttempt.get(key);
        curve.x.push(m.step);
        curve.y.push(typeof m.value === "number" ? m.value : NaN);
      }
      return Array.from(byAttempt.values());
    }

    function renderMetrics(metrics) {
      chart(lossPlot, "loss per step", "step", "loss", curvesOf(metrics, (n) => n === "loss.cross" || n === "loss.recon" || n === "loss.total"), []);
      chart(psnrPlot, "PSNR per evaluation", "step", "PSNR (dB)", curvesOf(metrics, (n) => /^eval\..*\.psnr$/.test(n)), []);
      const latest = new Map();
      for (const m of metrics) {
        const seen = latest.get(m.name);
        if (!seen || m.attempt > seen.attempt || (m.attempt === seen.attempt && m.step >= seen.step)) latest.set(m.name, m);
      }
      clear(metricsBox);
      if (latest.size === 0) { metricsBox.append(el("p", { className: "muted" }, "No metric yet.")); return; }
      metricsBox.append(el("details", {}, el("summary", {}, "Latest value of each metric (" + latest.size + ")"),
        el("table", {}, el("thead", {}, el("tr", {}, ["metric", "value", "step", "attempt"].map((h) => el("th", {}, h)))),
          el("tbody", {}, Array.from(latest.values()).sort((a, b) => a.name.localeCompare(b.name)).map((m) =>
            el("tr", {}, el("td", { className: "mono" }, m.name), el("td", {}, num(m.value)), el("td", {}, String(m.step)), el("td", {}, String(m.attempt))))))));
    }

    function renderLog(attempts) {
      const lines = events.slice(-60).map((e) => new Date(e.at).toLocaleTimeString() + "  " + e.kind + (e.attempt ? " #" + e.attempt : "") + "  " + e.message);
      const last = attempts[attempts.length - 1];
      if (last && last.error) lines.push("", "attempt " + last.number + " ended: " + last.error);
      text(logBox, lines.join("\n"));
    }

    function renderCheckpoint(trial, artifacts) {
      clear(checkpointBox);
      const checkpoint = artifacts.find((a) => a.id === trial.lastCheckpointArtifactId) || artifacts.filter((a) => a.kind === "checkpoint").pop();
      if (!checkpoint) { checkpointBox.append(el("span", { className: "muted" }, "No checkpoint stored.")); return; }
      checkpointBox.append(el("a", { href: "/api/trials/" + encodeURIComponent(trial.id) + "/artifacts/" + encodeURIComponent(checkpoint.id), download: "checkpoint-" + trial.id + ".bin" },
        checkpoint.name + " (attempt " + checkpoint.attempt + ", " + Math.round(checkpoint.size / 1024) + " KiB)"));
    }

    return poller(step, POLL_MS, (e) => showError(errorBox, e));
  }

  // ---- the cluster ---------------------------------------------------------------------------------------------

  function clusterPage() {
    const links = el("p", { id: "cluster-links" });
    const silosBox = el("div", { id: "silos" });
    const runningBox = el("div", { id: "allocations" });
    append(clear(main), el("h1", {}, "Cluster"), links, el("h2", {}, "Silos and their slots"), silosBox, el("h2", {}, "What runs where"), runningBox);
    return poller(async () => {
      const cluster = await api("/api/web/cluster");
      clear(links);
      append(links, el("a", { href: cluster.dashboard }, "Orleans dashboard"));
      if (cluster.grafana) append(links, " · ", el("a", { href: cluster.grafana, rel: "noopener noreferrer", target: "_blank" }, "Grafana"));
      clear(silosBox);
      if (cluster.silos.length === 0) silosBox.append(el("p", { className: "muted" }, "No trainer silo is a member of the cluster now."));
      for (const silo of cluster.silos) {
        const standing = silo.placing ? [] : [" ", el("span", { className: "chip", title: "The scheduler places no trial here now: the silo joined a moment ago, or it is shutting down." }, "not placing")];
        silosBox.append(el("h3", {}, silo.name, ...standing), el("p", { className: "mono muted" }, silo.id),
          el("p", {}, Object.entries(silo.labels || {}).map(([k, v]) => el("span", { className: "chip" }, k + "=" + v))),
          el("table", {}, el("thead", {}, el("tr", {}, ["slot", "GPU", "GPU memory", "running"].map((h) => el("th", {}, h)))),
            el("tbody", {}, silo.slots.map((slot) => {
              const holder = cluster.allocations.find((a) => a.siloId === silo.id && a.slotIds.includes(slot.id));
              return el("tr", {}, el("td", { className: "mono" }, slot.id),
                el("td", {}, slot.gpuName ? slot.gpuName + (slot.gpuIndex !== null && slot.gpuIndex !== undefined ? " (#" + slot.gpuIndex + ")" : "") : "CPU"),
                el("td", {}, slot.gpuMemoryGiB ? slot.gpuMemoryGiB.toFixed(1) + " GiB" : ""),
                el("td", {}, holder ? el("a", { href: route("trial", holder.trialId) }, holder.trialId) : el("span", { className: "muted" }, "free")));
            }))));
      }
      clear(runningBox);
      if (cluster.allocations.length === 0) { runningBox.append(el("p", { className: "muted" }, "Nothing runs now.")); return; }
      runningBox.append(el("table", {}, el("thead", {}, el("tr", {}, ["trial", "sweep", "attempt", "silo", "slots", "since"].map((h) => el("th", {}, h)))),
        el("tbody", {}, cluster.allocations.map((a) => el("tr", {},
          el("td", { className: "mono" }, el("a", { href: route("trial", a.trialId) }, a.trialId)),
          el("td", {}, el("a", { href: route("sweep", a.sweepId) }, a.sweepId)), el("td", {}, String(a.attempt)),
          el("td", { className: "mono" }, a.siloId), el("td", { className: "mono" }, a.slotIds.join(", ")), el("td", {}, when(a.placedAt)))))));
    }, POLL_MS * 2, (e) => showError(silosBox, e));
  }

  // ---- routing -------------------------------------------------------------------------------------------------

  function render() {
    if (page) page.stop();
    const parts = location.hash.replace(/^#\/?/, "").split("/").filter((p) => p.length > 0).map(decodeURIComponent);
    if (parts[0] === "sweep" && parts.length >= 2) page = sweepPage(parts.slice(1).join("/"));
    else if (parts[0] === "trial" && parts.length >= 2) page = trialPage(parts.slice(1).join("/"));
    else if (parts[0] === "cluster") page = clusterPage();
    else page = sweepsPage();
  }

  window.addEventListener("hashchange", render);
  render();
})();
