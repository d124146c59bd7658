// Multiple choice (with its maximum), rating, and results visibility as an
// attendee on a phone sees them.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, launchBrowser, tempDir, watchPage, snap, waitForText, rest, kPhone } from './support/harness.mjs';

describe('multiple choice, rating and results visibility on the attendee page', () => {
  let dir;
  let server;
  let browser;
  let phone;
  let problems;
  let code;
  let token;
  let multiple;
  let rating;

  const card = (question) => phone.locator('.poll-card', { hasText: question });

  before(async () => {
    dir = tempDir();
    server = await startServer({ dir });
    browser = await launchBrowser();
    const event = await rest(server.url, 'POST', '/api/events', { body: { title: 'Team retro' } });
    code = event.code;
    token = event.moderator_token;
    multiple = await rest(server.url, 'POST', `/api/events/${code}/polls`, {
      token,
      body: { type: 'multiple', question: 'What went well?', options: ['Planning', 'Pairing', 'Demos', 'Docs'],
        max_choices: 2, results: 'after_vote' },
    });
    rating = await rest(server.url, 'POST', `/api/events/${code}/polls`, {
      token, body: { type: 'rating', question: 'How was the sprint?', scale: 5, results: 'after_close' },
    });
    for (const p of [multiple, rating]) {
      await rest(server.url, 'PATCH', `/api/polls/${p.id}`, { token, body: { state: 'open' } });
    }
    const ctx = await browser.newContext({ ...kPhone, colorScheme: 'dark' });
    phone = await ctx.newPage();
    problems = watchPage(phone, 'phone');
    await phone.goto(`${server.url}/e/${code}`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('limits a multiple-choice answer to its maximum and shows results only after answering', async () => {
    const c = card('What went well?');
    await waitForText(c.locator('legend'), 'Choose up to 2');
    await waitForText(c.locator('.results-note'), 'Results appear after you answer.');
    await c.locator('label.choice', { hasText: 'Planning' }).click();
    await c.locator('label.choice', { hasText: 'Demos' }).click();
    assert.equal(await c.locator('input[value]').nth(1).isDisabled(), true, 'a third choice is blocked at the maximum');
    await c.getByRole('button', { name: 'Send answer' }).click();
    await waitForText(c.locator('.poll-status'), 'Answer recorded');
    await waitForText(c.locator('.results-count'), '1 respondent');
    await waitForText(c.locator('.bar', { hasText: 'Demos' }).locator('.bar-percent'), '100%');
    await waitForText(c.locator('.bar', { hasText: 'Pairing' }).locator('.bar-percent'), '0%');
  });

  it('records a rating and keeps its results until the poll closes', async () => {
    const c = card('How was the sprint?');
    await c.locator('.rating-scale label.choice').nth(3).click();
    await c.getByRole('button', { name: 'Send answer' }).click();
    await waitForText(c.locator('.poll-status'), 'Answer recorded');
    await waitForText(c.locator('.results-note'), 'Results appear when the poll closes.');
    await snap(phone, 'attendee-types-dark-phone');
    await rest(server.url, 'PATCH', `/api/polls/${rating.id}`, { token, body: { state: 'closed' } });
    await waitForText(c.locator('.results-count'), '1 respondent');
    await waitForText(c.locator('.rating-summary'), /Average 4/);
    const results = await rest(server.url, 'GET', `/api/polls/${rating.id}/results`, { token });
    assert.deepEqual(results.rating.counts, [0, 0, 0, 1, 0]);
    assert.deepEqual(problems, []);
  });
});
