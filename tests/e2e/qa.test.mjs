// Audience Q&A in real Chromium: two phones ask and upvote, the moderator
// turns approval on, approves, pins and answers in writing, the projector
// follows (pinned question large, the rest by upvotes); a question that looks
// like HTML stays text; a blocked word hides a question from the phones while
// the moderator still sees it, flagged; errors (400, 429) read clearly.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  startServer, launchBrowser, tempDir, watchPage, snap, waitForText, rest,
  kPhone, kProjector, kLaptop,
} from './support/harness.mjs';

const kQ1 = 'How do you validate the emulator against observations?';
const kQ2 = 'Which GPUs did you train on?';
const kQ3 = 'Will the slides be shared after the talk?';
const kHostile = '<img src=x onerror=alert(1)>';
const kSpam = 'Buy cheap spam here';
const kAnswer = 'Against ERA5 reanalysis, with a held-out decade — details on slide 12.';

describe('audience Q&A across phones, moderator and projector', () => {
  let dir;
  let server;
  let browser;
  let host;
  let projector;
  let phoneA;
  let phoneB;
  let code;
  let token;
  let poll;
  const problems = [];

  const phoneItem = (page, text) => page.locator('#qa-list .q', { has: page.locator('.q-text', { hasText: text }) });
  const hostItem = (text) => host.locator('#qa-mod-list .q', { has: host.locator('.q-text', { hasText: text }) });
  const pendingItem = (text) => host.locator('#qa-pending .q', { has: host.locator('.q-text', { hasText: text }) });

  async function open(options, path, name) {
    const ctx = await browser.newContext(options);
    const page = await ctx.newPage();
    problems.push(watchPage(page, name));
    await page.goto(server.url + path);
    return page;
  }

  async function ask(page, text, name) {
    await page.getByLabel('Your question').fill(text);
    if (name !== undefined) await page.getByLabel(/Your name/).fill(name);
    await page.getByRole('button', { name: 'Send question' }).click();
  }

  async function upvote(page, text, expected) {
    const item = phoneItem(page, text);
    await item.locator('.q-vote-btn').click();
    await waitForText(item.locator('.q-count'), String(expected));
  }

  before(async () => {
    dir = tempDir();
    server = await startServer({ dir });
    browser = await launchBrowser();
    const event = await rest(server.url, 'POST', '/api/events', { body: { title: 'Forecasting with ML' } });
    code = event.code;
    token = event.moderator_token;
    poll = await rest(server.url, 'POST', `/api/events/${code}/polls`, {
      token, body: { type: 'single', question: 'Did the demo work for you?', options: ['Yes', 'No'] },
    });
    await rest(server.url, 'PATCH', `/api/polls/${poll.id}`, { token, body: { state: 'open' } });
    await rest(server.url, 'PATCH', `/api/events/${code}`, { token, body: { presented_poll_id: poll.id } });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens the Q&A tab on two phones with a calm empty state', async () => {
    host = await open({ ...kLaptop, acceptDownloads: true }, `/host/${code}#token=${token}`, 'host');
    await host.getByRole('tab', { name: /Q&A/ }).click();
    await host.locator('#qa-main:not([hidden])').waitFor();
    projector = await open(kProjector, `/present/${code}`, 'projector');
    await waitForText(projector.locator('#question'), 'Did the demo work for you?');

    phoneA = await open(kPhone, `/e/${code}`, 'phone A');
    await phoneA.locator('.poll-card').waitFor();
    await phoneA.getByRole('tab', { name: /Q&A/ }).click();
    await phoneA.locator('#qa-empty').waitFor();
    assert.equal(await phoneA.evaluate(() => location.hash), '#qa', 'the tab is kept in the address');
    await snap(phoneA, 'qa-phone-empty');

    phoneB = await open(kPhone, `/e/${code}#qa`, 'phone B');
    await phoneB.locator('#qa-empty').waitFor();
  });

  it('asks with and without a name; both phones and the moderator see the questions live', async () => {
    await phoneA.getByLabel('Your question').fill(kQ1);
    await waitForText(phoneA.locator('#ask-count'), `${kQ1.length} / 300`);
    await ask(phoneA, kQ1, 'Ana');
    await waitForText(phoneA.locator('#ask-status'), 'Question posted.');
    await waitForText(phoneItem(phoneA, kQ1).locator('.q-author'), 'Ana');
    await phoneItem(phoneA, kQ1).locator('.q-badge-mine').waitFor();
    assert.equal(await phoneA.getByLabel('Your question').inputValue(), '', 'the box is emptied after sending');

    await ask(phoneB, kQ2);
    await waitForText(phoneItem(phoneB, kQ2).locator('.q-author'), 'Anonymous');
    await phoneItem(phoneA, kQ2).waitFor();
    await phoneItem(phoneB, kQ1).waitFor();
    assert.equal(await phoneItem(phoneB, kQ1).locator('.q-badge-mine').count(), 0, 'only the author sees "Your question"');
    await hostItem(kQ1).waitFor();
    await hostItem(kQ2).waitFor();
  });

  it('upvotes, one per participant, withdrawn with a second tap, and sorts Top and Recent', async () => {
    await upvote(phoneB, kQ1, 1);
    assert.equal(await phoneItem(phoneB, kQ1).locator('.q-vote-btn').getAttribute('aria-pressed'), 'true');
    await upvote(phoneA, kQ1, 2);
    await waitForText(phoneItem(phoneB, kQ1).locator('.q-count'), '2');
    await waitForText(hostItem(kQ1).locator('.q-count'), '2');

    await upvote(phoneA, kQ2, 1);
    await upvote(phoneA, kQ2, 0); // withdrawn
    assert.equal(await phoneItem(phoneA, kQ2).locator('.q-vote-btn').getAttribute('aria-pressed'), 'false');
    await waitForText(phoneItem(phoneB, kQ2).locator('.q-count'), '0');
    const q2 = (await rest(server.url, 'GET', `/api/events/${code}/questions`)).questions.find((q) => q.text === kQ2);
    assert.equal(q2.upvotes, 0, 'the server agrees with the withdrawn upvote');
    await upvote(phoneA, kQ2, 1);

    const texts = (page) => page.locator('#qa-list .q-text').allTextContents();
    assert.deepEqual(await texts(phoneB), [kQ1, kQ2], 'Top: most upvotes first');
    await phoneB.locator('label.seg-item', { hasText: 'Recent' }).click();
    assert.deepEqual(await texts(phoneB), [kQ2, kQ1], 'Recent: newest first');
    await phoneB.locator('label.seg-item', { hasText: 'Top' }).click();
    await snap(phoneA, 'qa-phone-list');
  });

  it('with approval on, a new question waits, marked for its author only, until approved', async () => {
    await host.locator('label.switch', { hasText: 'Approve questions before they appear' }).click();
    await host.locator('#qa-pending-card:not([hidden])').waitFor();
    await phoneA.locator('#ask-moderated:not([hidden])').waitFor();

    await ask(phoneA, kQ3);
    await waitForText(phoneA.locator('#ask-status'), /approves/);
    await waitForText(phoneItem(phoneA, kQ3).locator('.q-badge-pending'), 'Waiting for approval');
    assert.equal(await phoneItem(phoneA, kQ3).locator('.q-vote-btn').isDisabled(), true, 'a pending question takes no upvotes');
    await pendingItem(kQ3).waitFor();
    await waitForText(host.locator('#tab-qa-badge'), '1');
    await snap(phoneA, 'qa-phone-pending');
    await snap(host, 'qa-host-pending-laptop');
    assert.equal(await phoneItem(phoneB, kQ3).count(), 0, 'other phones do not see a pending question');

    await pendingItem(kQ3).getByRole('button', { name: 'Approve', exact: true }).click();
    await hostItem(kQ3).waitFor();
    await phoneItem(phoneB, kQ3).waitFor();
    await phoneItem(phoneA, kQ3).locator('.q-badge-pending').waitFor({ state: 'detached' });
    await upvote(phoneB, kQ3, 1);
    await upvote(phoneA, kQ3, 2);
  });

  it('shows a question that looks like HTML literally everywhere', async () => {
    await ask(phoneB, kHostile);
    await pendingItem(kHostile).getByRole('button', { name: 'Approve', exact: true }).click();
    await waitForText(phoneItem(phoneA, kHostile).locator('.q-text'), kHostile);
    await waitForText(hostItem(kHostile).locator('.q-text'), kHostile);
    for (const page of [phoneA, phoneB, host]) {
      assert.equal(await page.locator('main img, #qa-main img, #qa-panel img').count(), 0, 'no element made from question text');
    }
  });

  it('pins a question: the projector switches to Q&A, pinned large, the rest by upvotes', async () => {
    await hostItem(kQ1).getByRole('button', { name: 'Pin', exact: true }).click();
    await projector.locator('#qa-view:not([hidden])').waitFor();
    await waitForText(projector.locator('#qa-featured .q-text'), kQ1);
    await waitForText(projector.locator('#qa-featured .q-count'), '2');
    await waitForText(phoneItem(phoneB, kQ1).locator('.q-badge-pinned'), 'Being answered now');
    const top = await projector.locator('#qa-top .q-text').allTextContents();
    assert.deepEqual(top, [kQ3, kQ2, kHostile], 'top list: most upvotes first (2, 1, 0)');
    assert.equal(await projector.locator('#poll-view').isHidden(), true);
    const images = await projector.locator('img').evaluateAll((els) => els.map((e) => e.id));
    assert.deepEqual(images, ['qr'], 'the hostile question made no image on the projector');
    await projector.waitForTimeout(300);
    await snap(projector, 'qa-projector');
  });

  it('answers in writing: the answer shows under the question on the phones', async () => {
    await hostItem(kQ1).getByRole('button', { name: 'Reply', exact: true }).click();
    await host.getByLabel('Written answer').fill(kAnswer);
    await host.getByRole('button', { name: 'Publish answer' }).click();
    await waitForText(phoneItem(phoneA, kQ1).locator('.q-answer-text'), kAnswer);
    await waitForText(phoneItem(phoneA, kQ1).locator('.q-badge-answered'), 'Answered');
    await waitForText(projector.locator('#qa-featured .q-answer-text'), kAnswer);
    await snap(host, 'qa-host-laptop');
    await phoneA.locator('#qa-list').scrollIntoViewIfNeeded();
    await snap(phoneB, 'qa-phone-answered');
  });

  it('a blocked word hides a question from phones and projector; the moderator still sees it flagged', async () => {
    await ask(phoneB, kSpam);
    await pendingItem(kSpam).getByRole('button', { name: 'Approve', exact: true }).click();
    await phoneItem(phoneA, kSpam).waitFor();
    await host.getByLabel('Word to block').fill('SPAM');
    await host.getByRole('button', { name: 'Block', exact: true }).click();
    await waitForText(host.locator('#blocked-list .chip-text'), 'SPAM');
    await waitForText(hostItem(kSpam).locator('.q-badge-blocked'), 'Blocked word');
    await phoneItem(phoneA, kSpam).waitFor({ state: 'detached' });
    // Its author still sees it (docs/API.md: attendees see visible questions plus their own).
    assert.equal(await phoneItem(phoneB, kSpam).count(), 1);
    await projector.locator('#qa-top .q-text', { hasText: kSpam }).waitFor({ state: 'detached', timeout: 5000 });
    await snap(host, 'qa-host-blocked-laptop');
  });

  it('merges a duplicate into another question and archives answered ones', async () => {
    const item = hostItem(kQ2);
    await item.getByRole('button', { name: 'Merge into…' }).click();
    await item.getByLabel('Merge this duplicate into').selectOption({ label: `${kQ3} (2)` });
    await item.getByRole('button', { name: 'Merge', exact: true }).click();
    await hostItem(kQ2).waitFor({ state: 'detached' });
    await phoneItem(phoneB, kQ2).waitFor({ state: 'detached' });
    // Q2's only upvoter (phone A) already upvoted Q3: counted once.
    await waitForText(phoneItem(phoneB, kQ3).locator('.q-count'), '2');

    await host.getByRole('button', { name: 'Archive answered' }).click();
    await hostItem(kQ1).waitFor({ state: 'detached' });
    await phoneItem(phoneA, kQ1).waitFor({ state: 'detached' });
    await host.locator('label.seg-item', { hasText: 'Archived' }).click();
    await hostItem(kQ1).locator('.q-badge-archived').waitFor();
    await host.locator('label.seg-item', { hasText: 'Live' }).click();
    await projector.locator('#qa-featured .q').waitFor({ state: 'detached' });
    await waitForText(projector.locator('#qa-top-title'), 'Top questions');
  });

  it('explains a refused question (400) and the rate limit (429, Retry-After)', async () => {
    await host.locator('label.switch', { hasText: 'Approve questions before they appear' }).click();
    await host.locator('#qa-moderated:not(:checked)').waitFor({ state: 'attached' });
    await ask(phoneA, '\u0007\u0008');
    await waitForText(phoneA.locator('#ask-error'), /^Not sent: /);

    let limited = false;
    for (let i = 0; i < 12 && !limited; i++) {
      await ask(phoneA, `Follow-up number ${i + 1}?`);
      await waitForText(phoneA.locator('#ask-status, #ask-error').filter({ hasText: /\S/ }).first(), /posted|quickly/);
      limited = /quickly/.test(await phoneA.locator('#ask-error').textContent());
    }
    assert.ok(limited, 'asking too often is refused with a clear message');
    await waitForText(phoneA.locator('#ask-error'), /You can send another question in \d+ s/);
    assert.equal(await phoneA.getByRole('button', { name: 'Send question' }).isDisabled(), true);
    await snap(phoneA, 'qa-phone-rate-limited');
  });

  it('presenting a poll takes the projector back; Q&A turned off shows on the phones; dark mode', async () => {
    await host.getByRole('tab', { name: 'Polls' }).click();
    await host.getByRole('button', { name: 'Show on projector' }).click();
    await projector.locator('#poll-view:not([hidden])').waitFor();
    assert.equal(await projector.locator('#qa-view').isHidden(), true);
    await projector.getByRole('button', { name: 'Q&A' }).click();
    await projector.locator('#qa-view:not([hidden])').waitFor();

    await host.getByRole('tab', { name: /Q&A/ }).click();
    await host.locator('label.switch', { hasText: 'Take questions from the audience' }).click();
    await phoneB.locator('#qa-off:not([hidden])').waitFor();
    await snap(phoneB, 'qa-phone-off');
    await host.locator('label.switch', { hasText: 'Take questions from the audience' }).click();
    await phoneB.locator('#qa-on:not([hidden])').waitFor();

    const dark = await open({ ...kPhone, colorScheme: 'dark' }, `/e/${code}#qa`, 'phone dark');
    await phoneItem(dark, kQ3).waitFor();
    await snap(dark, 'qa-phone-dark');
    const hostDark = await open({ ...kLaptop, colorScheme: 'dark' }, `/host/${code}#token=${token}`, 'host dark');
    await hostDark.getByRole('tab', { name: /Q&A/ }).click();
    await hostDark.locator('#qa-mod-list .q').first().waitFor();
    await snap(hostDark, 'qa-host-dark-laptop');
    assert.deepEqual(problems.flat(), [], 'no alert() dialog, page error or CSP violation');
  });
});
