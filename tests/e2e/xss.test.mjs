// User text is shown literally on every page: a poll question, options, an
// event title and a word that look like HTML stay text, create no element
// and run no script.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, launchBrowser, tempDir, watchPage, snap, waitForText, rest, kPhone, kProjector, kLaptop } from './support/harness.mjs';

const kQuestion = '<img src=x onerror=alert(1)>';
const kOption = '"><svg onload=alert(2)>';
const kTitle = '<script>alert(3)</script> Security review';
const kWord = '<img src=y onerror=alert(4)>';

describe('user-provided text is never HTML', () => {
  let dir;
  let server;
  let browser;
  let code;
  let token;
  let cloud;
  const problems = [];

  before(async () => {
    dir = tempDir();
    server = await startServer({ dir });
    browser = await launchBrowser();
    const event = await rest(server.url, 'POST', '/api/events', { body: { title: kTitle } });
    code = event.code;
    token = event.moderator_token;
    const poll = await rest(server.url, 'POST', `/api/events/${code}/polls`, {
      token, body: { type: 'single', question: kQuestion, options: [kOption, 'Plain option'] },
    });
    cloud = await rest(server.url, 'POST', `/api/events/${code}/polls`, {
      token, body: { type: 'wordcloud', question: 'Words?', max_words: 3 },
    });
    await rest(server.url, 'PATCH', `/api/polls/${cloud.id}`, { token, body: { state: 'open' } });
    const p = await rest(server.url, 'POST', `/api/events/${code}/join`);
    await rest(server.url, 'POST', `/api/polls/${cloud.id}/responses`, { participant: p.participant_token, body: { words: [kWord] } });
    await rest(server.url, 'PATCH', `/api/polls/${cloud.id}`, { token, body: { state: 'closed' } });
    await rest(server.url, 'PATCH', `/api/polls/${poll.id}`, { token, body: { state: 'open' } });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(options, path, name) {
    const ctx = await browser.newContext(options);
    const page = await ctx.newPage();
    problems.push(watchPage(page, name));
    await page.goto(server.url + path);
    return page;
  }

  it('shows the question, option and title literally on the attendee page', async () => {
    const page = await open(kPhone, `/e/${code}`, 'attendee');
    const question = page.locator('.poll-card .poll-question');
    assert.equal(await waitForText(question, kQuestion), kQuestion);
    await waitForText(page.locator('#event-title'), kTitle);
    await waitForText(page.locator('.poll-card .choice-box').first(), kOption);
    assert.equal(await page.locator('main img, main svg, main script:not([src])').count(), 0, 'no element was created from user text');
    await page.waitForTimeout(300);
    await snap(page, 'attendee-xss-phone');
  });

  it('shows them literally on the projector, with only the QR code as an image', async () => {
    const page = await open(kProjector, `/present/${code}`, 'projector');
    await waitForText(page.locator('#question'), kQuestion);
    await waitForText(page.locator('#event-title'), kTitle);
    await waitForText(page.locator('.bar-label').first(), kOption);
    const images = await page.locator('img').evaluateAll((els) => els.map((e) => e.id));
    assert.deepEqual(images, ['qr']);
    assert.equal(await page.locator('svg').count(), 0);
  });

  it('shows them literally in the moderator console, word cloud words included', async () => {
    const page = await open(kLaptop, `/host/${code}#token=${token}`, 'host');
    await waitForText(page.locator('#detail-question'), kQuestion);
    await page.locator('.poll-item-select', { hasText: 'Words?' }).click();
    await waitForText(page.locator('.word-admin .word-text'), kWord);
    await waitForText(page.locator('#detail-results .results-table tbody th').first(), kWord);
    assert.equal(await page.locator('main img, main svg').count(), 0);
    assert.deepEqual(problems.flat(), [], 'no alert() dialog, page error or CSP violation');
  });
});
