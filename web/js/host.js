// Moderator console (/host/{code}#token=…): manage the polls of an event,
// open and close them, watch results live, curate word clouds, export data;
// the "Q&A" tab runs the audience questions (qa-host.js).

import { api, ApiError, describeError, downloadFile } from './api.js';
import { byId, copyText, formatCount, h, plural, setText } from './dom.js';
import { PollEditor } from './editor.js';
import { LiveEvent } from './live.js';
import { ResultsView, kTypeNames } from './results.js';
import { bindStatus } from './status.js';
import { codeFromPath, displayUrl, joinUrl, moderatorToken } from './session.js';
import { mountHostQa } from './qa-host.js';
import { bindTabs } from './tabs.js';

const code = codeFromPath();
let token = null;
let live = null;
let selectedId = null;
let detailView = null;
let detailViewId = null;
let tabs = null;
const editor = new PollEditor();
const kTabKey = `voxpop:host-tab:${code}`;

const kStateNames = { draft: 'Draft', open: 'Open', closed: 'Closed' };

// --- helpers ---------------------------------------------------------------

const mod = (method, path, body) => api(method, path, { token, body });

let toastTimer = null;
function toast(message, kind = 'info') {
  const el = byId('toast');
  el.dataset.kind = kind;
  setText(el, message);
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, kind === 'error' ? 6000 : 3000);
}

/** Run a moderator action; show its error as a toast. */
async function act(fn) {
  try {
    return await fn();
  } catch (err) {
    toast(describeError(err), 'error');
    if (err instanceof ApiError && err.status === 401) showGate('Your moderator token is no longer accepted.');
    return null;
  }
}

function selectedPoll() {
  return selectedId !== null ? live.state.polls.get(selectedId) || null : null;
}

// --- token gate ----------------------------------------------------------------

function tokenFromFragment() {
  const match = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

function showGate(message) {
  byId('main').hidden = true;
  byId('qa-main').hidden = true;
  byId('host-tabs').hidden = true;
  byId('host-actions').hidden = true;
  byId('gate').hidden = false;
  if (message) setText(byId('gate-error'), message);
  byId('gate-token').focus();
}

byId('gate-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const raw = byId('gate-token').value.trim();
  const match = /token=([^&\s]+)/.exec(raw);
  const candidate = match ? decodeURIComponent(match[1]) : raw;
  if (!candidate) {
    setText(byId('gate-error'), 'Paste the moderator link or token.');
    return;
  }
  if (await checkToken(candidate)) {
    moderatorToken.set(code, candidate);
    token = candidate;
    byId('gate').hidden = true;
    startConsole();
  }
});

/** True when the server accepts `candidate` as this event's moderator token. */
async function checkToken(candidate) {
  try {
    const summary = await api('GET', `/api/events/${encodeURIComponent(code)}/summary`, { token: candidate });
    renderSummary(summary);
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setText(byId('gate-error'), `That token is not valid for the event ${code}.`);
    } else if (err instanceof ApiError && err.code === 'not_found') {
      setText(byId('gate-error'), `There is no event with the code ${code}.`);
    } else {
      setText(byId('gate-error'), describeError(err));
    }
    return false;
  }
}

// --- summary ---------------------------------------------------------------------

function renderSummary(s) {
  setText(byId('stat-joined'), formatCount(s.participants_joined ?? 0));
  setText(byId('stat-peak'), formatCount(s.peak_online ?? 0));
  setText(byId('stat-respondents'), formatCount(s.respondents_any_poll ?? 0));
}

const kSummaryEveryMs = 2000;
let summaryTimer = null;
/** Refresh the figures soon; at most one request per kSummaryEveryMs however busy the room. */
function refreshSummary() {
  if (summaryTimer) return;
  summaryTimer = setTimeout(async () => {
    try {
      renderSummary(await mod('GET', `/api/events/${encodeURIComponent(code)}/summary`));
    } catch { /* figures stay as they were */ }
    summaryTimer = null;
  }, kSummaryEveryMs);
}

// --- poll list -------------------------------------------------------------------

function pollListItem(poll, index, count) {
  const results = live.state.results.get(poll.id);
  const respondents = results ? results.respondents || 0 : 0;
  const select = h('button', {
    class: 'poll-item-select', type: 'button', 'aria-current': poll.id === selectedId ? 'true' : false,
    on: { click: () => select_(poll.id) },
  }, poll.question);
  const up = h('button', {
    class: 'btn btn-ghost btn-sm', type: 'button', disabled: index === 0,
    'aria-label': `Move up: ${poll.question}`, on: { click: () => move(poll, index - 1) },
  }, '▲');
  const down = h('button', {
    class: 'btn btn-ghost btn-sm', type: 'button', disabled: index === count - 1,
    'aria-label': `Move down: ${poll.question}`, on: { click: () => move(poll, index + 1) },
  }, '▼');
  return h('li', { class: poll.id === selectedId ? 'poll-item is-selected' : 'poll-item', dataset: { pollId: poll.id } },
    h('div', { class: 'poll-item-main' }, select,
      h('div', { class: 'poll-item-meta' },
        h('span', { class: `badge badge-${poll.state}`, text: kStateNames[poll.state] || poll.state }),
        h('span', { text: kTypeNames[poll.type] || poll.type }),
        poll.state !== 'draft' ? h('span', { text: `· ${plural(respondents, 'respondent', 'respondents')}` }) : null)),
    h('div', { class: 'poll-item-side' }, h('div', { class: 'poll-item-move' }, up, down)));
}

function renderList() {
  const polls = live.pollList();
  const list = byId('poll-list');
  const focusedKey = document.activeElement && list.contains(document.activeElement)
    ? [document.activeElement.closest('li')?.dataset.pollId, document.activeElement.getAttribute('aria-label') || 'select']
    : null;
  list.replaceChildren(...polls.map((p, i) => pollListItem(p, i, polls.length)));
  byId('no-polls').hidden = polls.length > 0;
  if (focusedKey) {
    // Re-rendering replaced the focused button: put focus back on its twin.
    const li = list.querySelector(`li[data-poll-id="${focusedKey[0]}"]`);
    const target = li && ([...li.querySelectorAll('button')].find((b) =>
      (b.getAttribute('aria-label') || 'select') === focusedKey[1] && !b.disabled) || li.querySelector('.poll-item-select'));
    if (target) target.focus();
  }
}

function select_(id) {
  selectedId = id;
  render();
}

async function move(poll, position) {
  const updated = await act(() => mod('PATCH', `/api/polls/${poll.id}`, { position }));
  if (updated) {
    // Other polls shift on the server; their own `poll` messages follow.
    live.upsertPoll(updated);
  }
}

// --- detail panel -------------------------------------------------------------------

function renderDetail() {
  const poll = selectedPoll();
  byId('detail-empty').hidden = !!poll;
  byId('detail-body').hidden = !poll;
  if (!poll) return;
  setText(byId('detail-type'), kTypeNames[poll.type] || poll.type);
  const badge = byId('detail-state');
  badge.className = `badge badge-${poll.state}`;
  setText(badge, kStateNames[poll.state] || poll.state);
  setText(byId('detail-question'), poll.question);
  setText(byId('toggle-open'), poll.state === 'open' ? 'Close poll' : poll.state === 'closed' ? 'Reopen poll' : 'Open poll');
  byId('toggle-open').className = poll.state === 'open' ? 'btn btn-danger' : 'btn';
  byId('visibility').value = poll.results;
  byId('allow-change').checked = !!poll.allow_change;
  byId('edit-poll').hidden = poll.state !== 'draft';
  byId('export-poll-csv').hidden = poll.state === 'draft';

  if (detailViewId !== poll.id || detailView.poll.type !== poll.type) {
    detailView = new ResultsView(poll, { size: 'compact', tableVisible: true, cloud: { minFont: 16, maxFont: 80 } });
    detailViewId = poll.id;
    byId('detail-results').replaceChildren(detailView.el);
  }
  detailView.setPoll(poll);
  const results = live.state.results.get(poll.id) || null;
  detailView.update(results);
  detailView.setNote(poll.state === 'draft' ? 'Draft: only you can see this poll. Open it to collect answers.' : '');
  renderWordAdmin(poll, results);
}

function renderWordAdmin(poll, results) {
  const box = byId('word-admin');
  const words = poll.type === 'wordcloud' && results ? results.words || [] : [];
  box.hidden = words.length === 0;
  if (!words.length) {
    box.replaceChildren();
    return;
  }
  // Keep the admin table stable while someone is using it.
  if (box.contains(document.activeElement) && document.activeElement.tagName === 'SELECT') return;
  const rows = words.map((w) => {
    const mergeSelect = h('select', { 'aria-label': `Merge "${w.text}" into` },
      h('option', { value: '' }, 'Merge into…'),
      words.filter((o) => o.key !== w.key).map((o) => h('option', { value: o.key }, o.text)));
    const merge = h('button', {
      class: 'btn btn-ghost btn-sm', type: 'button', 'aria-label': `Merge "${w.text}"`,
      on: {
        click: async () => {
          if (!mergeSelect.value) { mergeSelect.focus(); return; }
          const r = await act(() => mod('POST', `/api/polls/${poll.id}/words/merge`, { from: w.key, into: mergeSelect.value }));
          if (r) live.setResults(poll.id, r);
        },
      },
    }, 'Merge');
    const hide = h('button', {
      class: 'btn btn-secondary btn-sm', type: 'button', 'aria-pressed': String(!!w.hidden),
      'aria-label': `${w.hidden ? 'Show' : 'Hide'} "${w.text}"`,
      on: {
        click: async () => {
          const r = await act(() => mod('POST', `/api/polls/${poll.id}/words/hide`, { key: w.key, hidden: !w.hidden }));
          if (r) live.setResults(poll.id, r);
        },
      },
    }, w.hidden ? 'Show' : 'Hide');
    return h('tr', { class: w.hidden ? 'is-hidden' : '' },
      h('th', { scope: 'row' }, h('span', { class: 'word-text', text: w.text }), w.hidden ? h('span', { class: 'sr-only' }, ' (hidden)') : null),
      h('td', { class: 'num', text: formatCount(w.count) }),
      h('td', {}, hide),
      h('td', {}, h('span', { class: 'row' }, mergeSelect, merge)));
  });
  box.replaceChildren(
    h('h3', {}, 'Moderate words'),
    h('p', { class: 'hint' }, 'Hidden words disappear from every screen but stay in the export. Merging counts one word under another.'),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Word'), h('th', { scope: 'col', class: 'num' }, 'Count'),
        h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Visibility')), h('th', { scope: 'col' }, 'Merge'))),
      h('tbody', {}, rows)));
}

function render() {
  const s = live.state;
  if (s.event) {
    setText(byId('event-title'), s.event.title);
    document.title = `${s.event.title} · voxpop moderator`;
  }
  setText(byId('online'), `${formatCount(s.online)} online`);
  const polls = live.pollList();
  if (selectedId === null || !s.polls.has(selectedId)) {
    const open = polls.find((p) => p.state === 'open');
    selectedId = open ? open.id : polls.length ? polls[0].id : null;
  }
  renderList();
  renderDetail();
}

// --- actions ---------------------------------------------------------------------------

function pollBody(poll) {
  return {
    type: poll.type, question: poll.question, options: poll.options.map((o) => o.text),
    max_choices: poll.max_choices, max_words: poll.max_words, scale: poll.scale,
    results: poll.results, allow_change: poll.allow_change,
  };
}

function newPoll() {
  editor.open(null, async (body) => {
    const poll = await mod('POST', `/api/events/${encodeURIComponent(code)}/polls`, body);
    live.upsertPoll(poll);
    select_(poll.id);
    toast('Poll created as a draft.');
  });
}

function wireActions() {
  byId('new-poll').addEventListener('click', newPoll);
  byId('new-poll-2').addEventListener('click', newPoll);

  byId('toggle-open').addEventListener('click', async () => {
    const poll = selectedPoll();
    if (!poll) return;
    const state = poll.state === 'open' ? 'closed' : 'open';
    const updated = await act(() => mod('PATCH', `/api/polls/${poll.id}`, { state }));
    if (updated) {
      live.upsertPoll(updated);
      // A poll that opens takes the projector, as the audience expects.
      if (state === 'open') await act(() => mod('PATCH', `/api/events/${encodeURIComponent(code)}`, { presented_poll_id: updated.id }));
      refreshSummary();
    }
  });

  byId('show-on-screen').addEventListener('click', async () => {
    const poll = selectedPoll();
    if (!poll) return;
    const path = `/api/events/${encodeURIComponent(code)}`;
    // Projectors switch from the Q&A view to the poll view when the presented
    // poll changes; for the poll already presented, make it a change.
    if (live.state.event?.presented_poll_id === poll.id) await act(() => mod('PATCH', path, { presented_poll_id: null }));
    const done = await act(() => mod('PATCH', path, { presented_poll_id: poll.id }));
    if (done) toast('Now on every projector screen.');
  });

  byId('visibility').addEventListener('change', async (ev) => {
    const poll = selectedPoll();
    if (!poll) return;
    const updated = await act(() => mod('PATCH', `/api/polls/${poll.id}`, { results: ev.target.value }));
    if (updated) live.upsertPoll(updated);
    else ev.target.value = poll.results;
  });

  byId('allow-change').addEventListener('change', async (ev) => {
    const poll = selectedPoll();
    if (!poll) return;
    const updated = await act(() => mod('PATCH', `/api/polls/${poll.id}`, { allow_change: ev.target.checked }));
    if (updated) live.upsertPoll(updated);
    else ev.target.checked = poll.allow_change;
  });

  byId('edit-poll').addEventListener('click', () => {
    const poll = selectedPoll();
    if (!poll || poll.state !== 'draft') return;
    editor.open(poll, async (body) => {
      const updated = await mod('PATCH', `/api/polls/${poll.id}`, body);
      live.upsertPoll(updated);
      toast('Poll saved.');
    });
  });

  byId('duplicate-poll').addEventListener('click', async () => {
    const poll = selectedPoll();
    if (!poll) return;
    const copy = await act(() => mod('POST', `/api/events/${encodeURIComponent(code)}/polls`, pollBody(poll)));
    if (copy) {
      live.upsertPoll(copy);
      select_(copy.id);
      toast('Duplicated as a new draft at the end of the list.');
    }
  });

  byId('delete-poll').addEventListener('click', async () => {
    const poll = selectedPoll();
    if (!poll) return;
    if (!window.confirm(`Delete the poll "${poll.question}" and all its answers?`)) return;
    const ok = await act(async () => { await mod('DELETE', `/api/polls/${poll.id}`); return true; });
    if (ok) {
      live.removePoll(poll.id);
      toast('Poll deleted.');
    }
  });

  byId('export-poll-csv').addEventListener('click', () => {
    const poll = selectedPoll();
    if (poll) act(() => downloadFile(`/api/polls/${poll.id}/export.csv`, token, `voxpop-${code}-poll-${poll.id}.csv`));
  });
  byId('export-csv').addEventListener('click', () =>
    act(() => downloadFile(`/api/events/${encodeURIComponent(code)}/export.csv`, token, `voxpop-${code}.csv`)));
  byId('export-json').addEventListener('click', () =>
    act(() => downloadFile(`/api/events/${encodeURIComponent(code)}/export.json`, token, `voxpop-${code}.json`)));
  byId('export-deck').addEventListener('click', () =>
    act(() => downloadFile(`/api/events/${encodeURIComponent(code)}/polls/export`, token, `voxpop-${code}-deck.json`)));

  byId('import-deck').addEventListener('change', async (ev) => {
    const file = ev.target.files && ev.target.files[0];
    ev.target.value = '';
    if (!file) return;
    let deck;
    try {
      deck = JSON.parse(await file.text());
    } catch {
      toast('That file is not a JSON poll deck.', 'error');
      return;
    }
    const res = await act(() => mod('POST', `/api/events/${encodeURIComponent(code)}/polls/import`, deck));
    if (res) {
      for (const poll of res.polls || []) live.upsertPoll(poll);
      toast(`Imported ${plural((res.polls || []).length, 'poll', 'polls')} as drafts.`);
    }
  });

  byId('copy-mod-link').addEventListener('click', async () => {
    const ok = await copyText(byId('mod-link').value);
    toast(ok ? 'Moderator link copied. Keep it private.' : 'Copy failed: select the field and copy it by hand.', ok ? 'info' : 'error');
    if (!ok) {
      byId('mod-link').type = 'text';
      byId('mod-link').select();
    }
  });
  byId('refresh-summary').addEventListener('click', () => refreshSummary());
}

// --- start -----------------------------------------------------------------------------------

/** Tabs "Polls" / "Q&A"; the last one used is kept for this browser tab. */
function showTabs() {
  byId('host-tabs').hidden = false;
  let saved = null;
  try { saved = sessionStorage.getItem(kTabKey); } catch { /* no storage */ }
  if (!tabs) {
    tabs = bindTabs(byId('host-tabs'), {
      onChange: (name) => { try { sessionStorage.setItem(kTabKey, name); } catch { /* no storage */ } },
    });
  }
  tabs.select(saved === 'qa' ? 'qa' : tabs.selected());
}

function startConsole() {
  showTabs();
  byId('host-actions').hidden = false;
  if (live) {
    // Back from the token gate: same console, new credentials.
    live.rehello();
    return;
  }
  const url = joinUrl(code);
  const link = byId('join-link');
  link.href = url;
  setText(link, displayUrl(url));
  byId('mod-link').value = `${location.origin}/host/${code}#token=${token}`;

  live = new LiveEvent(code, { hello: () => ({ moderator_token: token }) });
  live.addEventListener('change', (ev) => {
    render();
    if (['poll', 'snapshot', 'online', 'results'].includes(ev.detail.reason)) refreshSummary();
  });
  live.addEventListener('unauthorized', () => showGate('Your moderator token is not accepted for this event.'));
  bindStatus(live, byId('conn'));
  wireActions();
  mountHostQa(live, {
    code, token: () => token, mod, act, toast,
    onPending: (n) => {
      const badge = byId('tab-qa-badge');
      badge.hidden = n === 0;
      setText(badge, n ? String(n) : '');
      badge.setAttribute('aria-label', `${n} waiting for approval`);
    },
  });
  live.start();
}

async function main() {
  setText(byId('event-code'), code);
  const projector = byId('projector-link');
  projector.href = `/present/${encodeURIComponent(code)}`;
  const fromUrl = tokenFromFragment();
  if (fromUrl) {
    moderatorToken.set(code, fromUrl);
    // The token must not linger in the address bar, history or screenshots.
    history.replaceState(null, '', location.pathname + location.search);
  }
  const stored = moderatorToken.get(code);
  if (!stored) {
    showGate('');
    return;
  }
  if (!(await checkToken(stored))) {
    showGate();
    return;
  }
  token = stored;
  startConsole();
}

main();
