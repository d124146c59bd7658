// Attendee page (/e/{code}): join anonymously, answer open polls, see results
// when the poll's visibility allows, and take part in the Q&A (second tab).

import { api, ApiError, describeError } from './api.js';
import { byId, h, replaceChildren, setText } from './dom.js';
import { LiveEvent } from './live.js';
import { bindStatus } from './status.js';
import { codeFromPath, isValidCode, participantToken } from './session.js';
import { PollCard } from './pollcard.js';
import { mountAttendeeQa } from './qa-attendee.js';
import { bindTabs } from './tabs.js';

const code = codeFromPath();
const openBox = byId('open-polls');
const closedBox = byId('closed-polls');
const closedSection = byId('closed-section');
const waiting = byId('waiting');

/** Cards by poll id; built once per poll and updated in place. */
const cards = new Map();
/** Polls seen open during this visit: they stay listed once closed. */
const seenOpen = new Set();
let token = participantToken.get(code);
let live = null;
/** The page never switches tabs by itself (no yanking while someone types). */
let tabs = null;
/** Open polls at the last render; null before the first snapshot. */
let openCount = null;

function showNotice(title, text) {
  const notice = byId('notice');
  replaceChildren(notice, h('div', { class: 'card empty-state' },
    h('div', { class: 'empty-icon', 'aria-hidden': 'true' }, '?'),
    h('h2', { text: title }),
    h('p', { text }),
    h('p', {}, h('a', { class: 'btn', href: '/' }, 'Enter another code'))));
  notice.hidden = false;
  waiting.hidden = true;
  byId('tabs').hidden = true;
  byId('polls-panel').hidden = true;
  byId('qa-panel').hidden = true;
}

/** Tabs "Polls" and "Q&A"; the choice lives in the URL fragment (#qa) so a reload keeps it. */
function setupTabs() {
  byId('tabs').hidden = false;
  tabs = bindTabs(byId('tabs'), {
    onChange: (name) => {
      history.replaceState(null, '', name === 'qa' ? '#qa' : location.pathname + location.search);
      setText(byId('page-heading'), name === 'qa' ? 'Questions' : 'Polls');
      if (name === 'polls') byId('tab-polls').classList.remove('has-news');
    },
  });
  if (location.hash === '#qa') {
    tabs.select('qa');
    setText(byId('page-heading'), 'Questions');
  }
  byId('go-qa').addEventListener('click', () => tabs.select('qa', true));
}

function setBadge(el, n) {
  el.hidden = n === 0;
  setText(el, n ? String(n) : '');
}

async function join() {
  const res = await api('POST', `/api/events/${encodeURIComponent(code)}/join`);
  token = res.participant_token;
  participantToken.set(code, token);
}

function respondRest(pollId, body) {
  return api('POST', `/api/polls/${pollId}/responses`, { body, participant: token });
}

function fetchResults(pollId) {
  return api('GET', `/api/polls/${pollId}/results`, { participant: token });
}

/** Put `els` into `box` in this order, touching the DOM only if it differs. */
function placeInOrder(box, els) {
  const current = [...box.children];
  if (current.length === els.length && current.every((el, i) => el === els[i])) return;
  box.replaceChildren(...els);
}

function render() {
  const s = live.state;
  if (s.event) {
    setText(byId('event-title'), s.event.title);
    document.title = `${s.event.title} · voxpop`;
  }
  const polls = live.pollList().filter((p) => p.state !== 'draft');
  for (const id of [...cards.keys()]) {
    if (!s.polls.has(id)) {
      cards.get(id).el.remove();
      cards.delete(id);
    }
  }
  const open = [];
  const closed = [];
  for (const poll of polls) {
    if (poll.state === 'open') seenOpen.add(poll.id);
    const listed = poll.state === 'open' || seenOpen.has(poll.id) || s.responses.has(poll.id);
    if (!listed) continue;
    let card = cards.get(poll.id);
    if (!card) {
      card = new PollCard(poll, { live, fetchResults });
      cards.set(poll.id, card);
    }
    card.update(poll);
    (poll.state === 'open' ? open : closed).push(card.el);
  }
  closed.reverse();
  placeInOrder(openBox, open);
  placeInOrder(closedBox, closed);
  closedSection.hidden = closed.length === 0;
  waiting.hidden = open.length > 0 || !s.synced;
  byId('waiting-qa').hidden = s.qa.enabled === false;
  if (tabs) {
    setBadge(byId('tab-polls-badge'), open.length);
    // A poll that opens while the visitor reads the Q&A: point at it, never yank them away.
    if (openCount !== null && open.length > openCount && tabs.selected() === 'qa') byId('tab-polls').classList.add('has-news');
  }
  if (s.synced) openCount = open.length;
}

async function main() {
  setText(byId('event-code'), code);
  if (!isValidCode(code)) {
    showNotice('That is not an event code', 'An event code has 4 to 16 letters or digits.');
    return;
  }
  try {
    const event = await api('GET', `/api/events/${encodeURIComponent(code)}`);
    setText(byId('event-title'), event.title);
    document.title = `${event.title} · voxpop`;
  } catch (err) {
    if (err instanceof ApiError && err.code === 'not_found') {
      showNotice('Event not found', `There is no event with the code ${code}. Check the code on the screen.`);
      return;
    }
    // Network trouble: carry on, the live connection retries by itself.
  }
  if (!token) {
    try {
      await join();
    } catch (err) {
      showNotice('Could not join', describeError(err));
      return;
    }
  }
  live = new LiveEvent(code, {
    hello: () => (token ? { participant_token: token } : null),
    restRespond: respondRest,
  });
  let rejoined = false;
  live.addEventListener('unauthorized', async () => {
    // The stored token is unknown here (e.g. the event was recreated): join anew once.
    if (rejoined) return;
    rejoined = true;
    try {
      await join();
      live.rehello();
    } catch { /* keep the anonymous view */ }
  });
  live.addEventListener('change', render);
  setupTabs();
  mountAttendeeQa(live, {
    code,
    token: () => token,
    rejoin: async () => { await join(); live.rehello(); },
    onCount: (n) => setBadge(byId('tab-qa-badge'), n),
  });
  bindStatus(live, byId('conn'));
  live.start();
}

main();
