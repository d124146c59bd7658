// A whole poll session in real Chromium: a moderator creates an event on the
// landing page, adds a single-choice and a word-cloud poll, three phones join
// by code and vote, the projector follows live, one phone changes its vote,
// the moderator closes the poll and downloads the CSV.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  startServer, launchBrowser, tempDir, watchPage, snap, waitForText, rest,
  kPhone, kProjector, kLaptop,
} from './support/harness.mjs';

const kQuestion = 'Which topic should we dig into first?';
const kOptions = ['Roadmap', 'Hiring plans', 'Customer stories'];
const kCloudQuestion = 'One word for this quarter?';

describe('a live poll session across moderator, phones and projector', () => {
  let dir;
  let server;
  let browser;
  let host;
  let projector;
  const phones = [];
  const problems = [];
  let code;
  let token;

  const bar = (page, label) => page.locator('.results .bar', {
    has: page.locator('.bar-label', { hasText: new RegExp(`^${label}$`) }),
  });
  const percentOf = (page, label) => bar(page, label).locator('.bar-percent');
  const card = (page, question) => page.locator('.poll-card', { hasText: question });

  async function vote(page, option) {
    const c = card(page, kQuestion);
    await c.locator('label.choice', { hasText: option }).click();
    await c.locator('button[type="submit"]').click();
    await waitForText(c.locator('.poll-status'), 'Answer recorded');
  }

  before(async () => {
    dir = tempDir();
    server = await startServer({ dir });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates an event on the landing page and lands in the console without the token in the URL', async () => {
    const ctx = await browser.newContext({ ...kLaptop, acceptDownloads: true });
    host = await ctx.newPage();
    problems.push(watchPage(host, 'host'));
    await host.goto(`${server.url}/`);
    await snap(host, 'landing-laptop');
    await host.getByLabel('Event title').fill('Product all-hands Q3');
    await host.getByRole('button', { name: 'Create event' }).click();
    await host.waitForURL(/\/host\/[A-Z0-9]+$/);
    code = new URL(host.url()).pathname.split('/').pop();
    await host.locator('#main:not([hidden])').waitFor();
    assert.equal(await host.evaluate(() => location.hash), '', 'the #token= fragment is stripped from the address');
    token = await host.evaluate((c) => localStorage.getItem(`voxpop:mt:${c}`), code);
    assert.match(token || '', /\S/, 'the moderator token is kept in localStorage');
    await waitForText(host.locator('#event-title'), 'Product all-hands Q3');
  });

  it('creates a single-choice and a word-cloud poll and opens the first', async () => {
    await host.locator('#new-poll').click();
    const dialog = host.locator('#editor');
    await dialog.getByLabel('Question').fill(kQuestion);
    await dialog.getByLabel('Option 1', { exact: true }).fill(kOptions[0]);
    await dialog.getByLabel('Option 2', { exact: true }).fill(kOptions[1]);
    await dialog.getByRole('button', { name: 'Add option' }).click();
    await dialog.getByLabel('Option 3', { exact: true }).fill(kOptions[2]);
    await snap(host, 'host-editor-laptop');
    await dialog.getByRole('button', { name: 'Create poll' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await host.locator('#new-poll').click();
    await dialog.locator('label.choice', { hasText: 'Word cloud' }).click();
    await dialog.getByLabel('Question').fill(kCloudQuestion);
    await dialog.getByRole('button', { name: 'Create poll' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const items = host.locator('#poll-list .poll-item');
    await waitForText(items.nth(0).locator('.poll-item-select'), kQuestion);
    await waitForText(items.nth(1).locator('.poll-item-select'), kCloudQuestion);
    const polls = (await rest(server.url, 'GET', `/api/events/${code}/polls`, { token })).polls;
    assert.deepEqual(polls.map((p) => [p.type, p.state]), [['single', 'draft'], ['wordcloud', 'draft']]);

    await host.locator('.poll-item-select', { hasText: kQuestion }).click();
    await host.getByRole('button', { name: 'Open poll' }).click();
    await waitForText(host.locator('#detail-state'), 'Open');
  });

  it('shows the join URL, code and QR code on the projector', async () => {
    const ctx = await browser.newContext({ ...kProjector });
    projector = await ctx.newPage();
    problems.push(watchPage(projector, 'projector'));
    await projector.goto(`${server.url}/present/${code}`);
    await waitForText(projector.locator('#join-code'), code);
    await waitForText(projector.locator('#join-url'), `127.0.0.1:${server.port}/${code}`);
    await waitForText(projector.locator('#question'), kQuestion);
    const qrOk = await projector.locator('#qr').evaluate((img) =>
      new Promise((resolve) => {
        if (img.complete) resolve(img.naturalWidth > 0);
        else { img.onload = () => resolve(img.naturalWidth > 0); img.onerror = () => resolve(false); }
      }));
    assert.ok(qrOk, 'the QR code image from /api/events/{code}/qr.svg loads');
  });

  it('lets three phones join by code and vote; the projector shows 3 respondents and the percentages live', async () => {
    for (let i = 0; i < 3; i++) {
      const ctx = await browser.newContext({ ...kPhone });
      const page = await ctx.newPage();
      problems.push(watchPage(page, `phone${i}`));
      await page.goto(`${server.url}/`);
      if (i === 0) await snap(page, 'landing-phone');
      await page.getByLabel('Event code').fill(code.toLowerCase());
      await page.getByRole('button', { name: 'Join' }).click();
      await page.waitForURL(new RegExp(`/e/${code}$`));
      await card(page, kQuestion).waitFor();
      const stored = await page.evaluate((c) => localStorage.getItem(`voxpop:pt:${c}`), code);
      assert.match(stored || '', /\S/, 'the participant token is kept in localStorage');
      phones.push(page);
    }
    await snap(phones[0], 'attendee-poll-phone');
    await vote(phones[0], kOptions[0]);
    await vote(phones[1], kOptions[0]);
    await vote(phones[2], kOptions[1]);

    await waitForText(projector.locator('.results-count'), '3 respondents');
    await waitForText(percentOf(projector, kOptions[0]), '66.7%');
    await waitForText(percentOf(projector, kOptions[1]), '33.3%');
    await waitForText(percentOf(projector, kOptions[2]), '0%');
    await waitForText(host.locator('#detail-results .results-count'), '3 respondents');
    await waitForText(percentOf(host, kOptions[0]), '66.7%');
    await projector.waitForTimeout(700); // let the bar animation finish for the picture
    await snap(projector, 'projector-bars');
    await snap(phones[0], 'attendee-voted-phone');
    await snap(host, 'host-live-laptop');
  });

  it('follows a changed vote on every page', async () => {
    const c = card(phones[2], kQuestion);
    await c.locator('label.choice', { hasText: kOptions[0] }).click();
    await c.getByRole('button', { name: 'Change answer' }).click();
    await waitForText(c.locator('.poll-status'), 'Answer recorded');

    for (const page of [projector, host, phones[0]]) {
      await waitForText(percentOf(page, kOptions[0]), '100%');
      await waitForText(percentOf(page, kOptions[1]), '0%');
      await waitForText(page.locator('.results .results-count').first(), '3 respondents');
    }
    const results = await rest(server.url, 'GET', `/api/polls/${await pollId(kQuestion)}/results`, { token });
    assert.equal(results.respondents, 3, 'a changed answer is still one respondent');
    assert.deepEqual(results.options.map((o) => o.votes), [3, 0, 0]);
  });

  async function pollId(question) {
    const polls = (await rest(server.url, 'GET', `/api/events/${code}/polls`, { token })).polls;
    return polls.find((p) => p.question === question).id;
  }

  it('collects words from the phones and shows them in the projector word cloud', async () => {
    await host.getByRole('button', { name: 'Close poll' }).click();
    await waitForText(host.locator('#detail-state'), 'Closed');
    await host.locator('.poll-item-select', { hasText: kCloudQuestion }).click();
    await host.getByRole('button', { name: 'Open poll' }).click();
    await waitForText(projector.locator('#question'), kCloudQuestion);

    const answers = [['Growth', 'Focus'], ['growth', 'Speed'], ['Growth', 'Focus', 'Shipping']];
    for (let i = 0; i < 3; i++) {
      const c = card(phones[i], kCloudQuestion);
      const inputs = c.locator('input[type="text"]');
      for (let j = 0; j < answers[i].length; j++) await inputs.nth(j).fill(answers[i][j]);
      await c.getByRole('button', { name: 'Send answer' }).click();
      await waitForText(c.locator('.poll-status'), 'Answer recorded');
    }
    await waitForText(projector.locator('.results-count'), '3 respondents');
    // The text equivalent lists every word with its count ...
    const table = projector.locator('.results-table tbody');
    await waitForText(table, /Growth\s*3/);
    const tableText = await table.textContent();
    for (const expected of [/Focus\s*2/, /Speed\s*1/, /Shipping\s*1/]) assert.match(tableText, expected);
    // ... and the layout library really drew them on the canvas.
    await projector.waitForFunction(() => {
      const cloud = document.querySelector('.present .cloud');
      return cloud && cloud.dataset.state === 'drawn' && JSON.parse(cloud.dataset.drawn || '[]').length === 4;
    }, null, { timeout: 10000 });
    const drawn = JSON.parse(await projector.locator('.present .cloud').getAttribute('data-drawn'));
    assert.deepEqual([...drawn].sort(), ['Focus', 'Growth', 'Shipping', 'Speed']);
    await snap(projector, 'projector-wordcloud');
    await snap(phones[1], 'attendee-wordcloud-phone');
  });

  it('asks for the moderator token when a browser has none, and refuses a wrong one', async () => {
    const ctx = await browser.newContext({ ...kLaptop });
    const page = await ctx.newPage();
    problems.push(watchPage(page, 'gate'));
    await page.goto(`${server.url}/host/${code}`);
    const input = page.getByLabel('Moderator link or token');
    await input.waitFor();
    assert.equal(await page.locator('#main').isHidden(), true, 'no console without a token');
    await input.fill('mt_not-the-right-one');
    await page.getByRole('button', { name: 'Open console' }).click();
    await waitForText(page.locator('#gate-error'), /not valid/);
    await snap(page, 'host-token-gate-laptop');
    await input.fill(`${server.url}/host/${code}#token=${token}`);
    await page.getByRole('button', { name: 'Open console' }).click();
    await waitForText(page.locator('#detail-question'), kCloudQuestion);
    await ctx.close();
  });

  it('closes the poll and downloads the results as CSV with a row per answer', async () => {
    await host.getByRole('button', { name: 'Close poll' }).click();
    await waitForText(host.locator('#detail-state'), 'Closed');
    await waitForText(card(phones[0], kCloudQuestion).locator('.badge'), 'Closed');
    await snap(host, 'host-wordcloud-laptop');
    const [download] = await Promise.all([
      host.waitForEvent('download'),
      host.getByRole('button', { name: 'Download results (CSV)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    const lines = csv.split('\r\n').filter(Boolean);
    assert.equal(lines[0], '"poll_position","poll_id","question","type","state","respondents","answer","votes","percent","hidden"');
    const rows = lines.slice(1);
    const roadmap = rows.find((r) => r.includes(`"${kQuestion}"`) && r.includes('"Roadmap"'));
    assert.ok(roadmap, `a row for Roadmap in:\n${csv}`);
    assert.match(roadmap, /"closed","3","Roadmap","3","100(\.0)?"/);
    const growth = rows.find((r) => r.includes(`"${kCloudQuestion}"`) && /"growth"/i.test(r));
    assert.ok(growth, `a row for the word Growth in:\n${csv}`);
    assert.match(growth, /"3","Growth","3"/i);
    assert.equal(rows.filter((r) => r.includes(`"${kQuestion}"`)).length, 3, 'one row per option');
    assert.equal(rows.filter((r) => r.includes(`"${kCloudQuestion}"`)).length, 4, 'one row per word');
  });

  it('shows the closed state to attendees and raised no dialog, page error or CSP violation', async () => {
    await snap(phones[2], 'attendee-closed-phone');
    assert.deepEqual(problems.flat(), []);
  });
});
