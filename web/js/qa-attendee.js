// The attendee's Q&A panel (/e/{code}, "Q&A" tab): ask a question, read the
// visible ones sorted Top or Recent, upvote or withdraw an upvote. Upvotes
// show at once and are reconciled with the server's answer (the question it
// returns); a refused upvote rolls back.

import { api, ApiError, describeError } from './api.js';
import { byId, plural, setText } from './dom.js';
import { QuestionList, announcer, kMaxQuestion, renderQuestion, sortQuestions } from './qa.js';

const kNameKey = 'voxpop:qa-name';
const kTimesEveryMs = 60000;
const kStatusForMs = 8000;

/**
 * Wire the Q&A panel of the attendee page to a LiveEvent.
 * @param {import('./live.js').LiveEvent} live
 * @param {{code: string, token: () => string|null, rejoin: () => Promise<void>,
 *          onCount?: (n: number) => void}} deps
 *   `token()` is the current participant token; `rejoin()` joins anew after a 401;
 *   `onCount(n)` reports the number of listed questions (for the tab label).
 */
export function mountAttendeeQa(live, { code, token, rejoin, onCount }) {
  const form = byId('ask-form');
  const textEl = byId('ask-text');
  const nameEl = byId('ask-name');
  const countEl = byId('ask-count');
  const errorEl = byId('ask-error');
  const statusEl = byId('ask-status');
  const submit = byId('ask-submit');
  const say = announcer(byId('qa-live'));
  let sort = 'top';
  let retryUntil = 0;
  let retryTimer = null;
  let sending = false;
  /** id → {base, want, running}: upvotes the server has not confirmed yet. */
  const votes = new Map();
  let lastIds = null;
  let lastMine = new Map();

  try { nameEl.value = localStorage.getItem(kNameKey) || ''; } catch { /* no storage */ }

  const upvoted = (id) => (votes.has(id) ? votes.get(id).want : live.state.myUpvotes.has(id));
  const shownVotes = (q) => {
    const v = votes.get(q.id);
    if (!v) return q.upvotes || 0;
    return Math.max(0, (q.upvotes || 0) + (v.want ? 1 : 0) - (v.base ? 1 : 0));
  };

  const list = new QuestionList(byId('qa-list'), {
    render: (q) => renderQuestion(q, {
      role: 'attendee', mine: live.state.myQuestions.has(q.id),
      upvoted: upvoted(q.id), upvotes: shownVotes(q), onUpvote: toggleUpvote,
    }),
    key: (q) => JSON.stringify([q, live.state.myQuestions.has(q.id), upvoted(q.id), shownVotes(q)]),
  });

  /** What this attendee sees: approved questions, and their own pending ones. */
  function listed() {
    const s = live.state;
    const qs = [...s.questions.values()].filter((q) =>
      (q.state === 'visible' && !q.blocked) || (q.state === 'pending' && s.myQuestions.has(q.id)));
    sortQuestions(qs, sort, shownVotes);
    // The question being answered right now leads, whatever the order.
    return [...qs.filter((q) => q.pinned), ...qs.filter((q) => !q.pinned)];
  }

  function render() {
    const s = live.state;
    const enabled = s.qa.enabled !== false;
    byId('qa-off').hidden = enabled || !s.synced;
    byId('qa-on').hidden = !enabled;
    byId('ask-moderated').hidden = !s.qa.moderated;
    const qs = listed();
    list.update(qs);
    byId('qa-empty').hidden = qs.length > 0 || !s.synced;
    byId('qa-list-head').hidden = qs.length === 0;
    setText(byId('qa-count'), qs.length ? `(${qs.length})` : '');
    if (onCount) onCount(enabled ? qs.length : 0);
    announceChanges(qs);
  }

  function announceChanges(qs) {
    const ids = new Set(qs.map((q) => q.id));
    const mine = new Map(qs.filter((q) => live.state.myQuestions.has(q.id)).map((q) => [q.id, q]));
    if (lastIds) {
      for (const [id, q] of mine) {
        const before = lastMine.get(id);
        if (before && before.state === 'pending' && q.state === 'visible') say('Your question was approved.');
        else if (before && !before.answered && q.answered) say('Your question was answered.');
      }
      const added = [...ids].filter((id) => !lastIds.has(id) && !mine.has(id)).length;
      if (added === 1) say('A new question was added.');
      else if (added > 1) say(`${added} new questions.`);
    }
    lastIds = ids;
    lastMine = mine;
  }

  // --- asking -----------------------------------------------------------------

  function updateCounter() {
    const n = [...textEl.value.trim()].length;
    // The name field and counter unfold once there is something to send.
    form.classList.toggle('has-text', n > 0);
    setText(countEl, `${n} / ${kMaxQuestion}`);
    const over = n > kMaxQuestion;
    countEl.classList.toggle('is-over', over);
    textEl.setAttribute('aria-invalid', String(over));
    if (over) setText(errorEl, `That is ${n - kMaxQuestion} characters too long.`);
    else if (errorEl.dataset.kind === 'length') setText(errorEl, '');
    errorEl.dataset.kind = over ? 'length' : '';
  }

  let statusTimer = null;
  function setStatus(text, kind) {
    clearTimeout(statusTimer);
    statusEl.dataset.kind = kind || '';
    setText(statusEl, text);
    // A confirmation fades after a while; errors stay until the next try.
    if (kind === 'ok') statusTimer = setTimeout(() => setStatus('', ''), kStatusForMs);
  }

  function setRetry(seconds) {
    retryUntil = Date.now() + seconds * 1000;
    clearInterval(retryTimer);
    const tick = () => {
      const left = Math.ceil((retryUntil - Date.now()) / 1000);
      if (left <= 0) {
        clearInterval(retryTimer);
        submit.disabled = false;
        setText(errorEl, '');
        return;
      }
      submit.disabled = true;
      setText(errorEl, `You are asking quickly. You can send another question in ${left} s.`);
    };
    tick();
    retryTimer = setInterval(tick, 1000);
  }

  async function ask() {
    if (sending || Date.now() < retryUntil) return;
    const text = textEl.value.trim();
    const name = nameEl.value.trim();
    if (!text) {
      setText(errorEl, 'Write your question first.');
      textEl.focus();
      return;
    }
    if ([...text].length > kMaxQuestion) {
      textEl.focus();
      return;
    }
    try { localStorage.setItem(kNameKey, name); } catch { /* no storage */ }
    sending = true;
    submit.disabled = true;
    setText(errorEl, '');
    setStatus('Sending…', 'busy');
    const body = name ? { text, name } : { text };
    const path = `/api/events/${encodeURIComponent(code)}/questions`;
    try {
      let q;
      try {
        q = await api('POST', path, { body, participant: token() });
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 401) throw err;
        await rejoin(); // the stored participant is unknown here: join anew, once
        q = await api('POST', path, { body, participant: token() });
      }
      live.state.myQuestions.add(q.id);
      live.upsertQuestion(q);
      textEl.value = '';
      updateCounter();
      setStatus(q.state === 'pending' ? 'Sent. It appears once the moderator approves it.' : 'Question posted.', 'ok');
      const item = list.items.get(q.id);
      if (item) {
        item.el.classList.add('is-new');
        item.el.scrollIntoView({ block: 'nearest' });
      }
    } catch (err) {
      setStatus('', '');
      if (err instanceof ApiError && err.code === 'rate_limited') {
        setRetry(err.retryAfter || 30);
      } else if (err instanceof ApiError && err.code === 'qa_disabled') {
        live.setQaSettings({ qa_enabled: false });
      } else if (err instanceof ApiError && err.status === 400) {
        setText(errorEl, `Not sent: ${err.message}`);
      } else {
        setText(errorEl, `Not sent. ${describeError(err)}`);
      }
    } finally {
      sending = false;
      if (Date.now() >= retryUntil) submit.disabled = false;
    }
  }

  // --- upvoting ----------------------------------------------------------------

  function toggleUpvote(q) {
    let v = votes.get(q.id);
    if (!v) {
      const on = live.state.myUpvotes.has(q.id);
      v = { base: on, want: on, running: false };
      votes.set(q.id, v);
    }
    v.want = !v.want;
    render();
    if (!v.running) syncUpvote(q.id, v);
  }

  /** Send upvote changes for one question, one at a time, until the server agrees. */
  async function syncUpvote(id, v) {
    v.running = true;
    while (v.base !== v.want) {
      const want = v.want;
      try {
        const q = await api(want ? 'POST' : 'DELETE', `/api/questions/${id}/upvote`, { participant: token() });
        v.base = want;
        live.setMyUpvote(id, want);
        if (q) live.upsertQuestion(q);
      } catch (err) {
        v.want = v.base; // roll back to what the server has
        let message = describeError(err);
        if (err instanceof ApiError && err.code === 'question_closed') message = 'Voting on this question has closed.';
        else if (err instanceof ApiError && err.status === 404) message = 'That question is no longer available.';
        say(message);
        setStatus(message, 'error');
        if (err instanceof ApiError && err.status === 404) live.removeQuestion(id);
        break;
      }
    }
    votes.delete(id);
    v.running = false;
    render();
  }

  // --- wiring ---------------------------------------------------------------------

  textEl.addEventListener('input', () => {
    updateCounter();
    if (statusEl.dataset.kind === 'ok') setStatus('', '');
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    ask();
  });
  textEl.addEventListener('keydown', (ev) => {
    // Ctrl/Cmd+Enter sends, as in most chat boxes; Enter alone makes a new line.
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      ask();
    }
  });
  for (const radio of document.querySelectorAll('input[name="qa-sort"]')) {
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      sort = radio.value;
      render();
    });
  }
  live.addEventListener('change', (ev) => {
    if (['snapshot', 'question', 'question_removed', 'qa', 'event'].includes(ev.detail.reason)) render();
  });
  setInterval(() => list.refresh(listed()), kTimesEveryMs);
  updateCounter();
  render();
}
