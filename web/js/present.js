// Projector page (/present/{code}): the join URL and QR code, and the poll
// the moderator is presenting with live results. Follows the moderator: the
// event's presented poll (chosen in the console, pushed by the server) takes
// the screen; without one, the most recently opened poll does.
//
// Poll view or Q&A view — the rule (one mode at a time):
//  1. The choice made on this screen (Poll / Q&A buttons, keys P and Q,
//     `?view=qa` in the address) holds until one of the next two happens.
//  2. A question gets pinned ("being answered now", a new pinned id) → Q&A view.
//  3. The moderator presents a poll (event.presented_poll_id changes to a
//     poll; the console re-sends a change when the poll was already chosen)
//     or a poll opens → poll view.
//  On load without `?view=`: Q&A if a question is pinned and no poll is
//  presented, else poll. Q&A turned off for the event → poll view.

import { api } from './api.js';
import { byId, h, plural, setText } from './dom.js';
import { LiveEvent } from './live.js';
import { ResultsView } from './results.js';
import { bindStatus } from './status.js';
import { mountPresentQa } from './qa-present.js';
import { codeFromPath, displayUrl, joinUrl, moderatorToken } from './session.js';

const code = codeFromPath();
const params = new URLSearchParams(location.search);
let currentId = params.has('poll') ? Number(params.get('poll')) : null;
let view = null;
let viewPollId = null;
const lastState = new Map();
/** 'poll' | 'qa' (see the rule above); null until the first snapshot decides. */
let mode = params.get('view') === 'qa' ? 'qa' : params.get('view') === 'poll' ? 'poll' : null;
let lastPinned;
let lastPresented;

const live = new LiveEvent(code, {
  // On the moderator's own computer the projector sees every result it may show.
  hello: () => {
    const token = moderatorToken.get(code);
    return token ? { moderator_token: token } : null;
  },
});

function showable(poll) {
  return poll && poll.state !== 'draft';
}

function resultsVisible(poll) {
  if (poll.results === 'hidden') return false;
  if (poll.results === 'after_close') return poll.state === 'closed';
  return true;
}

/** The poll to show: the presented one, else the selected one, else the last open one. */
function pickCurrent() {
  const polls = live.pollList().filter(showable);
  const presented = live.state.event?.presented_poll_id ?? null;
  if (presented !== null && showable(live.state.polls.get(presented))) return presented;
  if (currentId !== null && showable(live.state.polls.get(currentId))) return currentId;
  const open = polls.filter((p) => p.state === 'open');
  return open.length ? open[open.length - 1].id : null;
}

const qa = mountPresentQa(live);

/** Apply rules 2 and 3 (and the initial choice) to `mode`. */
function followModerator() {
  const s = live.state;
  if (!s.synced) return;
  const pinned = qa.pinnedId();
  const presented = s.event?.presented_poll_id ?? null;
  if (mode === null) mode = pinned !== null && presented === null ? 'qa' : 'poll';
  if (lastPinned !== undefined && pinned !== null && pinned !== lastPinned) mode = 'qa';
  if (lastPresented !== undefined && presented !== null && presented !== lastPresented) mode = 'poll';
  lastPinned = pinned;
  lastPresented = presented;
}

function setMode(next) {
  mode = next;
  render('mode');
}

function render(reason, pollId) {
  const s = live.state;
  // A poll that just opened takes the screen.
  if (reason === 'poll' && pollId !== undefined) {
    const poll = s.polls.get(pollId);
    if (poll && poll.state === 'open' && lastState.get(pollId) !== 'open') {
      currentId = pollId;
      if (s.synced && lastState.has(pollId)) mode = 'poll';
    }
  }
  followModerator();
  for (const p of s.polls.values()) lastState.set(p.id, p.state);
  currentId = pickCurrent();

  if (s.event) {
    setText(byId('event-title'), s.event.title);
    setText(byId('welcome-title'), s.event.title);
    document.title = `${s.event.title} · voxpop`;
  }
  setText(byId('online'), s.synced ? plural(s.online, 'person online', 'people online') : '');

  const qaOn = s.qa.enabled !== false;
  const showQa = qaOn && mode === 'qa';
  byId('view-switch').hidden = !qaOn;
  byId('view-poll').setAttribute('aria-pressed', String(!showQa));
  byId('view-qa').setAttribute('aria-pressed', String(showQa));
  byId('qa-view').hidden = !showQa;
  if (showQa) qa.render();

  const poll = currentId !== null ? s.polls.get(currentId) : null;
  byId('welcome').hidden = !!poll || showQa;
  byId('poll-view').hidden = !poll || showQa;
  if (!poll || showQa) return;

  setText(byId('question'), poll.question);
  const badge = byId('poll-state');
  badge.className = `badge badge-${poll.state}`;
  setText(badge, poll.state === 'open' ? 'Voting open' : 'Voting closed');

  if (viewPollId !== poll.id || view.poll.type !== poll.type) {
    view = new ResultsView(poll, { size: 'large', cloud: { minFont: 24, maxFont: 120 } });
    viewPollId = poll.id;
    byId('results-slot').replaceChildren(view.el);
  }
  view.setPoll(poll);
  if (resultsVisible(poll)) {
    view.update(s.results.get(poll.id) || null);
    view.setNote('');
  } else {
    view.update(null);
    view.setNote(poll.results === 'hidden' ? 'Results are hidden' : 'Results appear when voting closes');
  }
}

function setupJoinInfo() {
  const url = joinUrl(code, live.state.event);
  // Break the URL only between host and code, never inside either.
  const shown = displayUrl(url);
  const cut = shown.lastIndexOf('/');
  byId('join-url').replaceChildren(h('span', { text: shown.slice(0, cut) }), h('span', { text: shown.slice(cut) }));
  setText(byId('join-code'), code);
  const qr = byId('qr');
  qr.src = `/api/events/${encodeURIComponent(code)}/qr.svg`;
  qr.alt = `QR code to join at ${displayUrl(url)}`;
}

function setupFullscreen() {
  const button = byId('fullscreen');
  const sync = () => {
    const on = !!document.fullscreenElement;
    button.setAttribute('aria-pressed', String(on));
    setText(button, on ? 'Exit full screen' : 'Full screen');
  };
  const toggle = () => {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else document.documentElement.requestFullscreen().catch(() => {});
  };
  button.addEventListener('click', toggle);
  document.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const key = ev.key.toLowerCase();
    if (key === 'f') toggle();
    else if (key === 'q') setMode('qa');
    else if (key === 'p') setMode('poll');
  });
  document.addEventListener('fullscreenchange', sync);
  if (!document.fullscreenEnabled) button.hidden = true;
}

async function main() {
  setupJoinInfo();
  setupFullscreen();
  byId('view-poll').addEventListener('click', () => setMode('poll'));
  byId('view-qa').addEventListener('click', () => setMode('qa'));
  try {
    const event = await api('GET', `/api/events/${encodeURIComponent(code)}`);
    live.state.event = live.state.event || { code: event.code, title: event.title, presented_poll_id: event.presented_poll_id };
    if (event.join_url) live.state.event.join_url = event.join_url;
    setupJoinInfo();
    render('init');
  } catch (err) {
    if (err.code === 'not_found') {
      setText(byId('welcome-title'), 'Event not found');
      setText(byId('welcome-text'), `There is no event with the code ${code}.`);
      return;
    }
  }
  live.addEventListener('change', (ev) => render(ev.detail.reason, ev.detail.pollId));
  bindStatus(live, byId('conn'));
  live.start();
}

main();
