// Opens one page in the system's headless Chromium and prints what a person's browser would have seen, as JSON:
// console errors and warnings, uncaught page errors, every request that left the page's own origin, and the value
// of a probe (a JavaScript expression evaluated in the page once it has loaded).
//
//   node inspect_page.mjs '{"url": "file:///tmp/report.html", "probe": "document.title",
//                           "fill": {"selector": "input", "text": "usage_by"}, "waitFor": ".result"}'
//
// Chromium is CHROMIUM (default /usr/bin/chromium), started with a fresh profile and without the background
// services that would otherwise phone home, so any request seen is one the page made.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];
const TIMEOUT_MS = 60_000;

const task = JSON.parse(process.argv[2]);
const profile = mkdtempSync(join(tmpdir(), "galileo-insights-chromium-"));
const seen = { consoleErrors: [], consoleWarnings: [], pageErrors: [], externalRequests: [], failedRequests: [], probe: null };
const origin = new URL(task.url).origin; // "null" for file: pages
const own = (url) =>
  url.startsWith("data:") || url.startsWith("blob:") || (origin === "null" ? url.startsWith("file:") : url.startsWith(origin));

let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: FLAGS,
    timeout: TIMEOUT_MS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(TIMEOUT_MS);
  page.on("console", (message) => {
    if (message.type() === "error") seen.consoleErrors.push(message.text());
    if (message.type() === "warning") seen.consoleWarnings.push(message.text());
  });
  page.on("pageerror", (error) => seen.pageErrors.push(String(error)));
  context.on("request", (request) => {
    if (!own(request.url())) seen.externalRequests.push(request.url());
  });
  context.on("requestfailed", (request) => seen.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`));
  await page.goto(task.url, { waitUntil: "networkidle" });
  if (task.fill) {
    await page.click(task.fill.selector);
    await page.keyboard.type(task.fill.text, { delay: 20 });
  }
  if (task.waitFor) await page.waitForSelector(task.waitFor);
  if (task.probe) seen.probe = await page.evaluate(task.probe);
  if (task.screenshot) await page.screenshot({ path: task.screenshot, fullPage: true });
} finally {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(seen));
