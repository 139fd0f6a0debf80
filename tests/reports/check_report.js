#!/usr/bin/env node
// Opens a report.html in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core
// from reports/node_modules) and prints JSON about what a person would see: console errors,
// page errors, every network request other than the file itself, the sections present and
// their text, and per chart canvas how many pixels were drawn. Writes a full-page screenshot.
// Usage: node check_report.js REPORT.html SCREENSHOT.png
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");

let playwright;
try {
  playwright = require(path.join(__dirname, "..", "..", "reports", "node_modules", "playwright-core"));
} catch (err) {
  process.stderr.write("playwright-core is not installed: run `npm ci --prefix reports` (" + err.message + ")\n");
  process.exit(2);
}

async function main() {
  if (process.argv.length !== 4) {
    process.stderr.write("usage: node check_report.js REPORT.html SCREENSHOT.png\n");
    process.exit(64);
  }
  const file = path.resolve(process.argv[2]);
  const url = "file://" + file;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "stampede-chromium-"));
  // A fresh profile (--user-data-dir) per run: playwright passes it for a persistent context.
  const browser = await playwright.chromium.launchPersistentContext(profile, {
    executablePath: process.env.STAMPEDE_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 900 },
    timeout: 60000,
  });
  const out = { console_errors: [], page_errors: [], requests: [], sections: {}, charts: [] };
  try {
    const page = await browser.newPage();
    page.on("console", m => { if (m.type() === "error" || m.type() === "warning") out.console_errors.push(m.type() + ": " + m.text()); });
    page.on("pageerror", e => out.page_errors.push(String(e)));
    page.on("request", r => { if (r.url() !== url) out.requests.push(r.url()); });
    await page.goto(url, { waitUntil: "load", timeout: 30000 });
    await page.waitForSelector("body[data-report-ready]", { timeout: 15000 }).catch(() => {});
    Object.assign(out, await page.evaluate(() => {
      const sections = {};
      for (const s of document.querySelectorAll("section[id]")) sections[s.id] = s.innerText;
      const charts = [];
      for (const box of document.querySelectorAll(".chart")) {
        const canvas = box.querySelector("canvas");
        let drawn = 0, total = 0;
        // Each series' colour, from its legend marker; pixels near it show its line was drawn.
        const colours = Array.from(box.querySelectorAll(".u-legend .u-series"))
          .map(s => s.querySelector(".u-marker"))
          .map(m => m ? getComputedStyle(m).borderColor : "")
          .map(c => (c.match(/\d+/g) || []).slice(0, 3).map(Number));
        const seriesPixels = colours.map(() => 0);
        if (canvas) {
          const ctx = canvas.getContext("2d");
          const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
          total = canvas.width * canvas.height;
          for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] === 0) continue;
            drawn++;
            colours.forEach((c, k) => {
              if (data[i + 3] > 200 && c.length === 3 && Math.abs(data[i] - c[0]) + Math.abs(data[i + 1] - c[1]) + Math.abs(data[i + 2] - c[2]) < 30) seriesPixels[k]++;
            });
          }
        }
        charts.push({ id: box.id, canvas: !!canvas, drawn: drawn, total: total,
                      legend: Array.from(box.querySelectorAll(".u-legend .u-label")).map(l => l.textContent),
                      series_pixels: seriesPixels });
      }
      return { sections: sections, charts: charts, ready: document.body.getAttribute("data-report-ready"),
               title: document.title };
    }));
    await page.screenshot({ path: process.argv[3], fullPage: true });
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch(err => { process.stderr.write(String(err && err.stack || err) + "\n"); process.exit(1); });
