// The attendee page across a server restart: it shows "Reconnecting…",
// keeps an answer given while offline, sends it once the server is back
// (same ref, counted once), and resyncs from the snapshot.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, launchBrowser, tempDir, watchPage, snap, waitForText, rest, eventWithOpenPoll, kPhone } from './support/harness.mjs';

describe('attendee page across a server restart', () => {
  let dir;
  let server;
  let browser;
  let phone;
  let problems;
  let code;
  let token;
  let poll;

  const choice = (label) => phone.locator('.poll-card label.choice', { hasText: label });
  const status = () => phone.locator('.poll-card .poll-status');
  const percent = (label) => phone.locator('.results .bar', {
    has: phone.locator('.bar-label', { hasText: new RegExp(`^${label}$`) }),
  }).locator('.bar-percent');

  before(async () => {
    dir = tempDir();
    server = await startServer({ dir });
    browser = await launchBrowser();
    ({ code, token, poll } = await eventWithOpenPoll(server.url, 'Restart drill'));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers while online', async () => {
    const ctx = await browser.newContext({ ...kPhone });
    phone = await ctx.newPage();
    problems = watchPage(phone, 'phone');
    await phone.goto(`${server.url}/e/${code}`);
    await choice('Tea').click();
    await phone.getByRole('button', { name: 'Send answer' }).click();
    await waitForText(status(), 'Answer recorded');
    await waitForText(percent('Tea'), '100%');
  });

  it('shows "Reconnecting…" while the server is down and queues a changed answer', async () => {
    await server.stop();
    await phone.locator('#conn.is-visible').waitFor({ timeout: 10000 });
    await waitForText(phone.locator('#conn'), 'Reconnecting…');
    await choice('Coffee').click();
    await phone.getByRole('button', { name: 'Change answer' }).click();
    await waitForText(status(), /offline|Sending/i);
    await snap(phone, 'attendee-reconnecting-phone');
    // Not recorded: nothing can be acked while the server is away.
    await phone.waitForTimeout(500);
    assert.notEqual((await status().textContent()).trim(), 'Answer recorded');
  });

  it('sends the queued answer once the server is back, counted once, and resyncs', async () => {
    server = await startServer({ dir, port: server.port });
    await waitForText(status(), 'Answer recorded', 20000);
    await waitForText(percent('Coffee'), '100%');
    await waitForText(percent('Tea'), '0%');
    let results = await rest(server.url, 'GET', `/api/polls/${poll.id}/results`, { token });
    assert.equal(results.respondents, 1, 'the resent answer replaced the first one');
    assert.deepEqual(results.options.map((o) => o.votes), [0, 1]);

    // Live again: another participant's vote reaches the phone.
    const other = await rest(server.url, 'POST', `/api/events/${code}/join`);
    await rest(server.url, 'POST', `/api/polls/${poll.id}/responses`, {
      participant: other.participant_token, body: { options: [poll.options[0].id] },
    });
    await waitForText(phone.locator('.results-count'), '2 respondents');
    await waitForText(percent('Coffee'), '50%');
    await phone.waitForFunction(() => !document.querySelector('#conn').classList.contains('is-visible'), null, { timeout: 10000 });
    results = await rest(server.url, 'GET', `/api/polls/${poll.id}/results`, { token });
    assert.equal(results.respondents, 2);
  });

  it('keeps the same participant and answer after a reload', async () => {
    const before = await phone.evaluate((c) => localStorage.getItem(`voxpop:pt:${c}`), code);
    await phone.reload();
    await waitForText(status(), 'Answer recorded');
    assert.equal(await phone.locator('.poll-card input[type="radio"]').nth(1).isChecked(), true, 'Coffee is shown as my answer');
    assert.equal(await phone.evaluate((c) => localStorage.getItem(`voxpop:pt:${c}`), code), before);
    const results = await rest(server.url, 'GET', `/api/polls/${poll.id}/results`, { token });
    assert.equal(results.respondents, 2, 'a reload does not create a new respondent');
  });

  it('follows the moderator closing the poll', async () => {
    await rest(server.url, 'PATCH', `/api/polls/${poll.id}`, { token, body: { state: 'closed' } });
    await waitForText(phone.locator('.poll-card .badge'), 'Closed');
    await phone.locator('#waiting').waitFor();
    assert.deepEqual(problems, []);
  });
});
