// A vote the server refuses as over the WebSocket message rate is not lost: the page keeps
// it pending and sends it again (same ref) a second later. The server here allows one
// message a second, so a reconnect that sends `hello` and a queued answer back to back has
// its answer refused first.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, launchBrowser, tempDir, watchPage, waitForText, rest, eventWithOpenPoll, kPhone } from './support/harness.mjs';

describe('attendee page and the message rate limit', () => {
  const flags = ['--ws-messages-per-second', '1', '--ws-max-errors', '50'];
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

  before(async () => {
    dir = tempDir();
    server = await startServer({ dir, flags });
    browser = await launchBrowser();
    ({ code, token, poll } = await eventWithOpenPoll(server.url, 'Rate drill'));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('resends a vote refused as rate_limited until it is recorded', async () => {
    const ctx = await browser.newContext({ ...kPhone });
    phone = await ctx.newPage();
    problems = watchPage(phone, 'phone');
    await phone.goto(`${server.url}/e/${code}`);
    await choice('Tea').waitFor();
    // Answer while the server is away: the answer waits in the page's queue.
    await server.stop();
    await phone.locator('#conn.is-visible').waitFor({ timeout: 10000 });
    await choice('Coffee').click();
    await phone.getByRole('button', { name: 'Send answer' }).click();
    const refusals = [];
    phone.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => {
      if (String(payload).includes('"rate_limited"')) refusals.push(String(payload));
    }));
    server = await startServer({ dir, port: server.port, flags });
    // hello takes the one message of this second, so the queued answer is refused first;
    // it must still be recorded, well before the page's 6 s fallback to REST.
    await waitForText(status(), 'Answer recorded', 5000);
    assert.ok(refusals.length >= 1, 'the server refused the first send as rate_limited');
    const results = await rest(server.url, 'GET', `/api/polls/${poll.id}/results`, { token });
    assert.equal(results.respondents, 1);
    assert.deepEqual(results.options.map((o) => o.votes), [0, 1]);
    assert.deepEqual(problems, []);
  });
});
