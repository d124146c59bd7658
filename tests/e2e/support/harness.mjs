// Shared pieces of the browser tests: start/stop a voxpop server on a loopback
// port, launch Debian's chromium through playwright-core, save screenshots.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const screenshotDir = path.join(repoRoot, 'build', 'e2e-screenshots');

const kStartTimeoutMs = 15000;
const kListening = /listening on http:\/\/([\d.]+):(\d+)/;

/** The server command: the real binary (VOXPOP_BIN, default build/voxpop). */
function serverCommand() {
  const bin = path.resolve(repoRoot, process.env.VOXPOP_BIN || 'build/voxpop');
  if (!fs.existsSync(bin)) {
    throw new Error(`voxpop binary not found at ${bin}: build it or set VOXPOP_BIN`);
  }
  return [bin, []];
}

/** A fresh temporary directory, removed by the caller via `fs.rmSync`. */
export function tempDir(prefix = 'voxpop-e2e-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Start a voxpop server and wait for its "listening on" line.
 * @param {{dir: string, port?: number, flags?: string[]}} opts  `dir` holds the database;
 *   `port` 0 = ephemeral; `flags` extra configuration such as ['--ws-messages-per-second', '1']
 * @returns {Promise<{url: string, port: number, stop: () => Promise<void>, log: () => string}>}
 */
export async function startServer({ dir, port = 0, flags = [] }) {
  const [cmd, pre] = serverCommand();
  const args = [...pre, '--port', String(port), '--address', '127.0.0.1',
    '--db', path.join(dir, 'voxpop.db'), '--web-root', path.join(repoRoot, 'web'), '--log-level', 'info',
    ...flags];
  // The server reads every VOXPOP_<KEY> variable as configuration and refuses
  // unknown keys, so the test runner's own VOXPOP_BIN etc. must not reach it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VOXPOP_')));
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not report listening within ${kStartTimeoutMs} ms:\n${output}`)), kStartTimeoutMs);
    const onData = (chunk) => {
      output += chunk.toString();
      const m = kListening.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[2]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    });
  });
  const actualPort = await listening;
  return {
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    log: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Launch headless chromium from Debian (never a downloaded browser). */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
  });
}

export const kPhone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const kProjector = { viewport: { width: 1920, height: 1080 } };
export const kLaptop = { viewport: { width: 1440, height: 900 } };

/**
 * Watch a page for what must never happen: script dialogs (XSS), page errors,
 * CSP violations. Returns the list, to assert empty at the end.
 */
export function watchPage(page, name) {
  const problems = [];
  page.on('dialog', (d) => {
    problems.push(`${name}: dialog "${d.message()}"`);
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (err) => problems.push(`${name}: page error ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/.test(msg.text())) {
      problems.push(`${name}: ${msg.text()}`);
    }
  });
  return problems;
}

/** Screenshots also kept, small, under docs/screenshots/ for the README. */
const kDocShots = new Set(['projector-bars', 'attendee-voted-phone', 'host-live-laptop']);

/**
 * Save a full-viewport screenshot under build/e2e-screenshots/; with
 * VOXPOP_DOC_SCREENSHOTS=1 the README's pictures are refreshed too.
 */
export async function snap(page, name) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
  if (process.env.VOXPOP_DOC_SCREENSHOTS === '1' && kDocShots.has(name)) {
    const docDir = path.join(repoRoot, 'docs', 'screenshots');
    fs.mkdirSync(docDir, { recursive: true });
    await page.screenshot({ path: path.join(docDir, `${name}.jpg`), type: 'jpeg', quality: 72, scale: 'css' });
  }
}

/**
 * Wait until `locator`'s text (trimmed) matches `expected` (string: equal;
 * RegExp: test) and return it; fails with the last text seen.
 */
export async function waitForText(locator, expected, timeout = 10000) {
  const deadline = Date.now() + timeout;
  let last = null;
  for (;;) {
    try {
      last = (await locator.textContent({ timeout: 1000 }))?.trim() ?? null;
    } catch { last = null; }
    const ok = last !== null && (expected instanceof RegExp ? expected.test(last) : last === expected);
    if (ok) return last;
    if (Date.now() > deadline) {
      throw new Error(`expected text ${expected} but last saw ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Call the REST API from the test itself. */
export async function rest(base, method, path, { body, token, participant } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  if (participant) headers['X-Participant-Token'] = participant;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = text; }
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return json;
}

/**
 * An event with one open single-choice poll "Tea or coffee?" (Tea, Coffee; results live),
 * made over REST: the setup of the attendee-page drills.
 * @returns {Promise<{code: string, token: string, poll: Object}>}
 */
export async function eventWithOpenPoll(base, title) {
  const event = await rest(base, 'POST', '/api/events', { body: { title } });
  const token = event.moderator_token;
  const poll = await rest(base, 'POST', `/api/events/${event.code}/polls`, {
    token, body: { type: 'single', question: 'Tea or coffee?', options: ['Tea', 'Coffee'], results: 'live' },
  });
  await rest(base, 'PATCH', `/api/polls/${poll.id}`, { token, body: { state: 'open' } });
  return { code: event.code, token, poll };
}
