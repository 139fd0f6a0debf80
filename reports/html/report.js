// stampede report.html: builds every section from the results document embedded in the page
// (element #stampede-results, the same JSON as results.json) and draws the charts with uPlot.
// Runs offline: no fetch, no external resource. Sections without data say so.
"use strict";

(function () {
  const doc = JSON.parse(document.getElementById("stampede-results").textContent);
  const root = document.getElementById("report");
  const charts = [];
  const syncKey = "stampede-time";
  const palette = ["#0969da", "#cf222e", "#1a7f37", "#8250df", "#bf8700", "#e16f24", "#1b7c83",
                   "#6e7781", "#bc4c00", "#4d2d8f"];

  // ---- small helpers ----
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  function fixed(v, d) {
    if (v === null || v === undefined || !isFinite(v)) return "–";
    const s = Number(v).toFixed(d === undefined ? 2 : d);
    return s.indexOf(".") < 0 ? s : s.replace(/\.?0+$/, "");
  }
  function pct(r, d) { return (r === null || r === undefined) ? "–" : (r * 100).toFixed(d === undefined ? 2 : d) + "%"; }
  function ms(v) {
    if (v === null || v === undefined || !isFinite(v)) return "–";
    if (v >= 1000) return fixed(v / 1000, 2) + " s";
    if (v >= 100) return fixed(v, 0) + " ms";
    if (v >= 10) return fixed(v, 1) + " ms";
    return fixed(v, 2) + " ms";
  }
  function secs(t) { return fixed(t, 1) + " s"; }
  function section(id, title, ...children) {
    const s = el("section", { id: id }, el("h2", {}, title), ...children);
    root.append(s);
    return s;
  }
  function empty(text) { return el("p", { class: "empty" }, text); }
  function table(headers, rows, numeric) {
    const head = el("tr", {}, ...headers.map((h, i) => el("th", numeric && numeric[i] ? { class: "num" } : {}, h)));
    const body = rows.map(r => el("tr", {}, ...r.map((c, i) => {
      if (c instanceof Node) return el("td", numeric && numeric[i] ? { class: "num" } : {}, c);
      if (c && typeof c === "object" && "cls" in c) return el("td", { class: c.cls }, c.text);
      return el("td", numeric && numeric[i] ? { class: "num" } : {}, c);
    })));
    return el("table", {}, el("thead", {}, head), el("tbody", {}, ...body));
  }
  function mark(passed) { return { cls: passed ? "pass" : "fail", text: passed ? "✔ pass" : "✘ fail" }; }

  // ---- chaos bands and markers, drawn on every time chart ----
  const spans = doc.chaos.spans.map(s => ({ ...s, end: s.end < 0 ? doc.run.duration_s : s.end }));
  const markers = doc.chaos.events.filter(e => e.phase !== "requested");
  function chaosPlugin() {
    return {
      hooks: {
        drawClear: [u => {
          const ctx = u.ctx;
          ctx.save();
          spans.forEach((s, i) => {
            const x0 = u.valToPos(s.start, "x", true), x1 = u.valToPos(s.end, "x", true);
            ctx.fillStyle = i % 2 ? "rgba(207,34,46,0.10)" : "rgba(191,135,0,0.13)";
            ctx.fillRect(Math.min(x0, x1), u.bbox.top, Math.max(1, Math.abs(x1 - x0)), u.bbox.height);
          });
          ctx.restore();
        }],
        draw: [u => {
          const ctx = u.ctx;
          ctx.save();
          ctx.font = (10 * devicePixelRatio) + "px sans-serif";
          for (const e of markers) {
            const x = Math.round(u.valToPos(e.t, "x", true));
            ctx.strokeStyle = e.phase === "failed" ? "#cf222e" : (e.phase === "reverted" ? "#1a7f37" : "#9a6700");
            ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.fillStyle = ctx.strokeStyle;
            ctx.fillText(e.action_id + " " + e.phase, x + 3, u.bbox.top + 12 * devicePixelRatio);
          }
          ctx.restore();
        }],
      },
    };
  }

  function chartWidth(container) { return Math.max(320, (container.clientWidth || root.clientWidth || 900) - 4); }

  // A time chart: xs in seconds, series [{label, values, color, scale, dash}].
  function timeChart(parent, id, title, xs, series, axes) {
    const box = el("div", { class: "chart", id: id });
    parent.append(el("div", { class: "chart-title" }, title), box);
    const opts = {
      width: chartWidth(parent),
      height: 230,
      plugins: [chaosPlugin()],
      cursor: { sync: { key: syncKey }, drag: { x: true, y: false } },
      scales: { x: { time: false } },
      axes: [{ label: "seconds since start" }].concat(axes || [{}]),
      series: [{ label: "t (s)", value: (u, v) => v === null ? "–" : fixed(v, 1) }].concat(series.map((s, i) => ({
        label: s.label,
        stroke: s.color || palette[i % palette.length],
        width: 1.5,
        scale: s.scale || "y",
        dash: s.dash,
        points: { show: false },
        value: s.fmt ? (u, v) => v === null ? "–" : s.fmt(v) : undefined,
      }))),
    };
    const u = new uPlot(opts, [xs].concat(series.map(s => s.values)), box);
    charts.push({ u: u, box: box, parent: parent });
    return u;
  }

  // ---- header and verdict ----
  const run = doc.run;
  root.append(el("header", {},
    el("h1", {}, "stampede report — " + run.script),
    el("div", { class: "meta" },
      "started " + run.start_time + " · " + secs(run.duration_s) + " · " + run.scenarios.length +
      " scenario(s) · outcome " + run.outcome + (run.outcome_detail ? " (" + run.outcome_detail + ")" : "") +
      (run.execution_segment && run.execution_segment !== "0:1"
        ? " · execution segment " + run.execution_segment + " of " + run.execution_segment_sequence : "") +
      " · stampede " + (run.stampede_version || "") + " · results schema v" + doc.version)));

  const v = doc.verdict;
  let totalReq = 0, totalFailed = 0;
  for (const r of doc.requests) { totalReq += r.requests; totalFailed += r.failed; }
  const verdict = section("verdict", "Verdict",
    el("div", { class: "big" }, (v.passed ? "PASSED" : "FAILED") + " (exit " + v.exit_code + ")"),
    el("div", { class: "kpis" },
      el("div", {}, el("b", {}, String(totalReq)), "requests"),
      el("div", {}, el("b", {}, pct(totalReq ? totalFailed / totalReq : 0, 3)), "failed"),
      el("div", {}, el("b", {}, doc.thresholds.filter(t => t.passed).length + "/" + doc.thresholds.length), "thresholds passed"),
      el("div", {}, el("b", {}, doc.validations.filter(x => x.passed).length + "/" + doc.validations.length), "validations passed"),
      el("div", {}, el("b", {}, fixed(run.vus_max, 0)), "VUs max")));
  verdict.classList.add("verdict", v.passed ? "pass" : "fail");
  if (v.reasons.length) verdict.append(el("ul", {}, ...v.reasons.map(r => el("li", {}, r))));
  if (doc.generator.bottleneck) {
    verdict.append(el("div", { class: "warning", id: "generator-bottleneck" },
      el("b", {}, "The generator was the bottleneck: "),
      "latencies include stampede's own delay. ", doc.generator.reasons.join("; ")));
  }

  // ---- validations ----
  const vals = section("validations", "Validations");
  if (!doc.validations.length) vals.append(empty("No validations: the script has no `expect` entries."));
  else vals.append(table(["result", "validation", "kind", "summary", "evidence"], doc.validations.map(x => [
    mark(x.passed), x.name, x.kind, x.summary,
    el("ul", { class: "evidence" }, ...x.evidence.map(e => el("li", {}, e.name + ": " + e.value + (e.t >= 0 ? " (at " + secs(e.t) + ")" : "")))),
  ])));

  // ---- availability per phase ----
  const ph = section("phases", "Availability per phase");
  if (!doc.phases.length) ph.append(empty("No phases: no chaos actions in this run, so the run is one phase (see the charts)."));
  else ph.append(table(["phase", "from", "to", "requests", "failed", "by requests", "by time"],
    doc.phases.map(p => [p.name, secs(p.start), secs(p.end), p.requests, p.failed, pct(p.by_requests, 3), pct(p.by_time, 1)]),
    [false, true, true, true, true, true, true]));

  // ---- fine timeline helpers ----
  const fine = doc.fine_timeline;
  const bucketS = fine.bucket_s;
  function badBucket(b) { return b[0] > 0 && b[1] > 0; }
  // First bucket index >= from that fails; -1 if none.
  function firstBad(from) {
    for (let i = Math.max(0, from); i < fine.buckets.length; i++) if (badBucket(fine.buckets[i])) return i;
    return -1;
  }
  // First index >= from that starts `need` consecutive good buckets (or a good run to the end).
  function goodStreak(from, need) {
    let start = -1, n = 0;
    for (let i = Math.max(0, from); i < fine.buckets.length; i++) {
      if (!badBucket(fine.buckets[i])) { if (n === 0) start = i; if (++n >= need) return start; } else n = 0;
    }
    return n > 0 ? start : -1;
  }

  // ---- recovery times ----
  const rec = section("recovery", "Recovery times");
  const recoveryValidations = doc.validations.filter(x => x.kind === "recovery");
  if (!spans.length && !recoveryValidations.length) rec.append(empty("No chaos actions in this run: nothing to recover from."));
  if (spans.length) {
    rec.append(el("p", { class: "hint" }, "Observed from the 100 ms timeline: the first bucket with a failed request after the action started, and the start of the first 1 s of buckets without failures after that."));
    rec.append(table(["action", "target", "active", "first failure", "recovered", "time to recover"], spans.map(s => {
      const i0 = Math.floor(s.start / bucketS);
      const bad = firstBad(i0);
      const good = bad < 0 ? -1 : goodStreak(bad, Math.round(1 / bucketS));
      return [s.action_id + " (" + s.action + ")", s.target, secs(s.start) + " – " + secs(s.end),
              bad < 0 ? "none" : secs(bad * bucketS), bad < 0 ? "–" : (good < 0 ? "not recovered" : secs(good * bucketS)),
              bad < 0 ? "no impact" : (good < 0 ? "not recovered" : secs(good * bucketS - s.start))];
    }), [false, false, false, true, true, true]));
  }
  if (recoveryValidations.length) {
    rec.append(el("h3", {}, "Recovery validations"));
    rec.append(table(["result", "validation", "summary"], recoveryValidations.map(x => [mark(x.passed), x.name, x.summary])));
  }

  // ---- charts over time ----
  const ch = section("charts", "Over time");
  ch.append(el("p", { class: "hint" }, "Drag to zoom, double-click to reset; hover for values (the cursor is shared by all charts). Shaded bands: chaos actions; dashed lines: chaos events."));
  const tl = doc.timeline;
  if (!tl.length) {
    ch.append(empty("No time series: the run stopped before its first second."));
  } else {
    const xs = tl.map(p => p.t);
    timeChart(ch, "chart-rate", "Request rate and errors (per second)", xs, [
      { label: "requests/s", values: tl.map(p => p.requests) },
      { label: "failed/s", values: tl.map(p => p.failed), color: "#cf222e" },
      { label: "error rate %", values: tl.map(p => p.requests ? 100 * p.failed / p.requests : null), color: "#bf8700", scale: "%", dash: [5, 4], fmt: v => fixed(v, 2) + "%" },
    ], [{ label: "per second" }, { scale: "%", side: 1, label: "error rate %", grid: { show: false } }]);
    timeChart(ch, "chart-latency", "Latency percentiles (http_req_duration, ms)", xs, [
      { label: "p50", values: tl.map(p => p.requests ? p.p50 : null), fmt: ms },
      { label: "p90", values: tl.map(p => p.requests ? p.p90 : null), fmt: ms },
      { label: "p99", values: tl.map(p => p.requests ? p.p99 : null), fmt: ms },
      { label: "max", values: tl.map(p => p.requests ? p.max : null), fmt: ms, dash: [3, 3] },
    ], [{ label: "ms" }]);
    timeChart(ch, "chart-vus", "Virtual users and dropped iterations", xs, [
      { label: "VUs", values: tl.map(p => p.vus) },
      { label: "iterations/s", values: tl.map(p => p.iterations), color: "#1a7f37" },
      { label: "dropped/s", values: tl.map(p => p.dropped), color: "#cf222e" },
    ], [{}]);
  }
  // Availability from the 100 ms timeline.
  if (fine.buckets.length) {
    const fx = fine.buckets.map((b, i) => +(i * bucketS).toFixed(3));
    timeChart(ch, "chart-availability", "Availability per 100 ms (share of requests that succeeded)", fx, [
      { label: "availability %", values: fine.buckets.map(b => b[0] ? 100 * (b[0] - b[1]) / b[0] : null), fmt: v => fixed(v, 2) + "%", color: "#1a7f37" },
      { label: "requests / 100 ms", values: fine.buckets.map(b => b[0]), scale: "n", color: "#6e7781" },
    ], [{ label: "%" }, { scale: "n", side: 1, label: "requests", grid: { show: false } }]);
  } else {
    ch.append(el("div", { class: "chart-title" }, "Availability per 100 ms"), empty("No 100 ms timeline in this run."));
  }
  // Replicas per deployment.
  const samples = doc.platform.samples;
  if (!samples.length) {
    ch.append(el("div", { class: "chart-title" }, "Replicas per deployment"),
      empty("No platform samples: the run had no target platform to watch (no chaos or expect)."));
  } else {
    const deployments = [...new Set(samples.map(s => s.deployment))].sort();
    const times = [...new Set(samples.map(s => s.t))].sort((a, b) => a - b);
    const series = [];
    deployments.forEach((d, i) => {
      const ready = new Map(), total = new Map();
      for (const s of samples) if (s.deployment === d) { ready.set(s.t, s.ready); total.set(s.t, s.replicas); }
      const color = palette[i % palette.length];
      series.push({ label: d + " ready", values: times.map(t => ready.has(t) ? ready.get(t) : null), color: color });
      series.push({ label: d + " replicas", values: times.map(t => total.has(t) ? total.get(t) : null), color: color, dash: [4, 3] });
    });
    const u = timeChart(ch, "chart-replicas", "Replicas per deployment (ready: solid, existing: dashed)", times, series, [{ label: "pods" }]);
    u.setScale("x", { min: 0, max: Math.max(run.duration_s, times[times.length - 1]) });
  }
  // Generator self-check.
  if (tl.length) {
    const xs = tl.map(p => p.t);
    timeChart(ch, "chart-generator", "Generator self-check", xs, [
      { label: "busiest worker CPU %", values: tl.map(p => p.cpu_percent), fmt: v => fixed(v, 1) + "%" },
      { label: "waiting for a CPU %", values: tl.map(p => p.cpu_wait_percent >= 0 ? p.cpu_wait_percent : null), color: "#9a6700", dash: [4, 3], fmt: v => fixed(v, 1) + "%" },
      { label: "loop lag ms", values: tl.map(p => p.loop_lag_ms), scale: "ms", color: "#8250df", fmt: ms },
      { label: "schedule lag p99 ms", values: tl.map(p => p.schedule_lag_p99_ms), scale: "ms", color: "#cf222e", fmt: ms },
    ], [{ label: "CPU %" }, { scale: "ms", side: 1, label: "ms", grid: { show: false } }]);
  }

  // ---- HDR percentile distribution ----
  const dist = section("distribution", "Latency distribution (HDR percentiles)");
  const ld = doc.latency_distribution;
  if (!ld.percentiles.length) {
    dist.append(empty("No requests: no latency distribution."));
  } else {
    // x = 1 / (1 - p): each decade is one more nine.
    const pts = ld.percentiles.filter(p => p.percentile < 100);
    const xs = pts.map(p => 1 / (1 - p.percentile / 100));
    const box = el("div", { class: "chart", id: "chart-distribution" });
    dist.append(el("div", { class: "hint" }, ld.count + " requests; x axis: percentile on a 1/(1−p) scale."), box);
    const u = new uPlot({
      width: chartWidth(dist), height: 260,
      scales: { x: { time: false, distr: 3 }, y: { distr: 1 } },
      axes: [{ label: "percentile", values: (u, vals) => vals.map(x => fixed(100 * (1 - 1 / x), 4) + "%") }, { label: "ms" }],
      series: [{ label: "percentile", value: (u, x) => x === null ? "–" : fixed(100 * (1 - 1 / x), 4) + "%" },
               { label: "http_req_duration", stroke: "#0969da", width: 2, value: (u, y) => ms(y) }],
    }, [xs, pts.map(p => p.ms)], box);
    charts.push({ u: u, box: box, parent: dist });
    const keys = [50, 90, 95, 99, 99.9, 99.99];
    const rows = keys.map(k => {
      let best = ld.percentiles[0];
      for (const p of ld.percentiles) if (Math.abs(p.percentile - k) < Math.abs(best.percentile - k)) best = p;
      return ["p(" + k + ")", ms(best.ms), fixed(best.percentile, 4) + "%"];
    });
    rows.push(["max", ms(ld.percentiles[ld.percentiles.length - 1].ms), "100%"]);
    dist.append(table(["percentile", "latency", "nearest computed"], rows, [false, true, true]));
  }

  // ---- requests ----
  const rq = section("requests", "Requests by name");
  if (!doc.requests.length) rq.append(empty("No HTTP requests were made."));
  else rq.append(table(["name", "requests", "failed", "error rate", "req/s", "avg", "p50", "p90", "p95", "p99", "max"],
    doc.requests.map(r => [el("code", {}, r.name), r.requests, r.failed, pct(r.error_rate, 3), fixed(r.rps, 1),
      ms(r.avg), ms(r.p50), ms(r.p90), ms(r.p95), ms(r.p99), ms(r.max)]),
    [false, true, true, true, true, true, true, true, true, true, true]));

  // ---- thresholds ----
  const th = section("thresholds", "Thresholds");
  if (!doc.thresholds.length) th.append(empty("No thresholds: the script's options.thresholds is empty."));
  else th.append(table(["result", "metric", "expression", "observed"], doc.thresholds.map(t =>
    [mark(t.passed), el("code", {}, t.metric), el("code", {}, t.expression), fixed(t.observed, 3) + (t.unit === "ms" ? " ms" : "") + (t.no_samples ? " (no samples)" : "")]),
    [false, false, false, true]));

  // ---- checks and script errors ----
  const ck = section("checks", "Checks and script errors");
  if (!doc.checks.length) ck.append(empty("No checks in this script."));
  else ck.append(table(["group", "check", "passes", "fails"], doc.checks.map(c => [c.group || "–", c.name, c.passes, { cls: c.fails ? "fail" : "pass", text: String(c.fails) }]), [false, false, true, true]));
  if (doc.script_errors.length) {
    ck.append(el("h3", {}, "Script errors"));
    ck.append(table(["count", "message"], doc.script_errors.map(e => [e.count, el("code", {}, e.message)]), [true, false]));
  }

  // ---- chaos and platform events ----
  const ev = section("events", "Chaos and platform events");
  if (!doc.chaos.events.length) ev.append(empty("No chaos actions in this run."));
  else ev.append(table(["t", "action", "phase", "target", "pods", "detail"], doc.chaos.events.map(e =>
    [secs(e.t), e.action_id + " (" + e.action + ")", e.phase, e.target, (e.pods || []).join(", "), e.detail]), [true]));
  ev.append(el("h3", {}, "Platform events"));
  if (!doc.platform.events.length) ev.append(empty("No platform events were recorded."));
  else ev.append(table(["t", "kind", "deployment", "pod", "detail"], doc.platform.events.map(e =>
    [secs(e.t), e.kind, e.deployment, e.pod, e.detail]), [true]));

  // ---- merged runs (stampede merge only) ----
  if (doc.merge) {
    const m = doc.merge, cov = m.coverage;
    const mg = section("merged", "Merged runs");
    mg.append(el("p", {}, m.inputs.length + " run(s) of sequence " + cov.sequence + ", covering " + cov.covered +
      " of the test", cov.missing.length ? el("span", { class: "fail" }, " (missing " + cov.missing.join(", ") + ")") : "", "."));
    mg.append(table(["folder", "segment", "outcome", "requests", "errors", "iterations", "seconds"],
      m.inputs.map(i => [el("code", {}, i.dir), i.segment, i.outcome, i.requests, i.errors, i.iterations, i.seconds]),
      [false, false, false, true, true, true, true]));
    for (const w of m.warnings) mg.append(el("p", { class: "fail" }, w));
  }

  // ---- generator ----
  const g = doc.generator;
  const gen = section("generator", "Generator self-check");
  gen.append(el("p", {}, g.bottleneck ? el("span", { class: "fail" }, "The generator was the bottleneck. ") : el("span", { class: "pass" }, "The generator kept up. "),
    "Limits: busiest worker CPU ≤ " + g.limits.cpu_percent + "% averaged over the run, p99 schedule lag ≤ " + g.limits.schedule_lag_p99_ms + " ms."));
  gen.append(table(["figure", "value"], [
    ["workers", g.workers],
    ["busiest worker CPU (avg / max)", fixed(g.cpu_busiest_avg_percent, 1) + "% / " + fixed(g.cpu_busiest_max_percent, 1) + "%"],
    ["process CPU (percent of one core)", fixed(g.process_cpu_percent, 1) + "%"],
    ["waiting for a CPU, most-waiting worker (avg / max)", g.cpu_wait_avg_percent >= 0 ? fixed(g.cpu_wait_avg_percent, 1) + "% / " + fixed(g.cpu_wait_max_percent, 1) + "%" : "not measured"],
    ["event-loop lag (avg / max)", ms(g.loop_lag_avg_ms) + " / " + ms(g.loop_lag_max_ms)],
    ["schedule lag p50 / p99 / max", ms(g.schedule_lag_p50_ms) + " / " + ms(g.schedule_lag_p99_ms) + " / " + ms(g.schedule_lag_max_ms) + " (" + g.schedule_lag_samples + " scheduled iterations)"],
  ].concat(g.reasons.map(r => ["reason", r]))));

  // Charts follow the page width.
  let resizeTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { for (const c of charts) c.u.setSize({ width: chartWidth(c.parent), height: c.u.height }); }, 100);
  });
  document.body.setAttribute("data-report-ready", String(charts.length));
})();
