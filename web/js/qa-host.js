// The moderator's Q&A panel (/host/{code}, "Q&A" tab): Q&A and approval
// switches, the blocked-words list, the approval queue, and the list with
// its tools (pin, answered, written reply, hide, merge, archive). Everything
// updates from the live connection; REST answers are applied at once too.

import { downloadFile } from './api.js';
import { byId, formatCount, h, replaceChildren, setText } from './dom.js';
import { QuestionList, announcer, kMaxAnswer, renderQuestion, sortQuestions } from './qa.js';

/**
 * @param {import('./live.js').LiveEvent} live
 * @param {{code: string, token: () => string, mod: (method: string, path: string, body?: any) => Promise<any>,
 *          act: (fn: () => Promise<any>) => Promise<any>, toast: (text: string, kind?: string) => void,
 *          onPending?: (n: number) => void}} deps
 *   `mod` calls the API as moderator; `act` runs an action and shows its error;
 *   `onPending(n)` reports the approval queue length (for the tab badge).
 */
export function mountHostQa(live, { code, token, mod, act, toast, onPending }) {
  const ev = encodeURIComponent(code);
  const say = announcer(byId('qa-live'));
  let filter = 'live';
  let sort = 'top';
  let blockedWords = [];
  /** The open editor, if any: {id, kind: 'reply'|'merge'}. */
  let editor = null;
  /** Reply drafts by question id, so a re-render never loses typing. */
  const drafts = new Map();
  let lastPending = null;

  // --- settings --------------------------------------------------------------

  async function loadEvent() {
    try {
      const event = await mod('GET', `/api/events/${ev}`);
      applyEvent(event);
    } catch { /* the snapshot still carries qa; blocked words stay unknown until the next try */ }
  }

  function applyEvent(event) {
    if (!event) return;
    live.setQaSettings(event);
    if (Array.isArray(event.blocked_words)) {
      blockedWords = event.blocked_words;
      renderBlocked();
    }
  }

  async function patchEvent(body) {
    const event = await act(() => mod('PATCH', `/api/events/${ev}`, body));
    if (event) applyEvent(event);
    return event;
  }

  function renderSettings() {
    const qa = live.state.qa;
    const enabled = byId('qa-enabled');
    const moderated = byId('qa-moderated');
    enabled.checked = qa.enabled !== false;
    moderated.checked = !!qa.moderated;
  }

  function renderBlocked() {
    const list = byId('blocked-list');
    replaceChildren(list, blockedWords.map((word) => h('li', { class: 'chip' },
      h('span', { class: 'chip-text', text: word }),
      h('button', {
        class: 'chip-remove', type: 'button', 'aria-label': `Unblock "${word}"`,
        on: { click: () => setBlocked(blockedWords.filter((w) => w !== word)) },
      }, h('span', { 'aria-hidden': 'true' }, '×')))));
    if (!blockedWords.length) list.append(h('li', { class: 'muted small', text: 'No blocked words.' }));
  }

  async function setBlocked(words) {
    setText(byId('blocked-error'), '');
    const event = await patchEvent({ blocked_words: words });
    if (!event) return false;
    // Flags change on many questions at once: take the server's whole list.
    refetch();
    return true;
  }

  async function refetch() {
    try {
      live.setQuestions(await mod('GET', `/api/events/${ev}/questions?sort=top`));
    } catch { /* the live messages still arrive */ }
  }

  // --- question actions -----------------------------------------------------------

  async function patch(q, body, done) {
    const updated = await act(() => mod('PATCH', `/api/questions/${q.id}`, body));
    if (!updated) return null;
    if (body.pinned === true) {
      // Pinning one unpins the other: show it now, the server's messages confirm.
      for (const other of live.state.questions.values()) {
        if (other.pinned && other.id !== q.id) live.upsertQuestion({ ...other, pinned: false });
      }
    }
    live.upsertQuestion(updated);
    if (done) toast(done);
    return updated;
  }

  function openEditor(id, kind) {
    editor = editor && editor.id === id && editor.kind === kind ? null : { id, kind };
    render();
    const item = list.items.get(id) || pendingList.items.get(id);
    const field = item && item.el.querySelector('.q-editor textarea, .q-editor select');
    if (field) field.focus();
  }

  function closeEditor(id) {
    editor = null;
    render();
    const item = list.items.get(id);
    const back = item && item.el.querySelector('[data-action="reply"], [data-action="merge"]');
    if (back) back.focus();
  }

  function button(label, action, onClick, cls = 'btn btn-secondary btn-sm', extra = {}) {
    return h('button', { class: cls, type: 'button', dataset: { action }, on: { click: onClick }, ...extra }, label);
  }

  function actionsFor(q) {
    const tools = [];
    if (q.state === 'pending') {
      tools.push(button('Approve', 'approve', () => patch(q, { state: 'visible' }), 'btn btn-sm'));
      tools.push(button('Dismiss', 'dismiss', () => patch(q, { state: 'dismissed' })));
    } else if (q.state === 'visible') {
      tools.push(button(q.pinned ? 'Unpin' : 'Pin', 'pin', () => patch(q, { pinned: !q.pinned }),
        q.pinned ? 'btn btn-sm' : 'btn btn-secondary btn-sm',
        { 'aria-pressed': String(!!q.pinned), title: 'Being answered now: shown large on the projector' }));
      tools.push(button('Answered', 'answered', () => patch(q, { answered: !q.answered, ...(q.answered ? {} : { pinned: false }) }),
        'btn btn-secondary btn-sm', { 'aria-pressed': String(!!q.answered) }));
      tools.push(button(q.answer ? 'Edit reply' : 'Reply', 'reply', () => openEditor(q.id, 'reply'), 'btn btn-ghost btn-sm',
        { 'aria-expanded': String(isOpen(q, 'reply')) }));
      tools.push(button('Merge into…', 'merge', () => openEditor(q.id, 'merge'), 'btn btn-ghost btn-sm',
        { 'aria-expanded': String(isOpen(q, 'merge')) }));
      tools.push(button('Hide', 'hide', () => patch(q, { state: 'hidden', pinned: false }), 'btn btn-ghost btn-sm'));
      if (q.answered) tools.push(button('Archive', 'archive', () => patch(q, { state: 'archived', pinned: false }), 'btn btn-ghost btn-sm'));
    } else {
      const label = q.state === 'archived' ? 'Restore' : q.state === 'dismissed' ? 'Approve' : 'Show again';
      tools.push(button(label, 'show', () => patch(q, { state: 'visible' })));
    }
    const textId = `q-text-${q.id}`;
    for (const b of tools) b.setAttribute('aria-describedby', textId);
    return h('div', { class: 'q-tools-wrap' },
      h('div', { class: 'q-tools', role: 'group', 'aria-label': 'Moderate' }, tools),
      isOpen(q, 'reply') ? replyEditor(q) : null,
      isOpen(q, 'merge') ? mergeEditor(q) : null);
  }

  const isOpen = (q, kind) => !!editor && editor.id === q.id && editor.kind === kind;

  function replyEditor(q) {
    const id = `reply-${q.id}`;
    const area = h('textarea', { id, rows: 3, 'aria-describedby': `${id}-count` });
    area.value = drafts.has(q.id) ? drafts.get(q.id) : q.answer || '';
    const count = h('span', { id: `${id}-count`, class: 'hint' });
    const sync = () => {
      drafts.set(q.id, area.value);
      const n = [...area.value.trim()].length;
      setText(count, `${n} / ${kMaxAnswer}`);
      count.classList.toggle('is-over', n > kMaxAnswer);
    };
    area.addEventListener('input', sync);
    sync();
    const save = async (ev) => {
      ev.preventDefault();
      const text = area.value.trim();
      if ([...text].length > kMaxAnswer) { area.focus(); return; }
      const updated = await patch(q, text ? { answer: text, answered: true } : { answer: null }, text ? 'Answer published.' : 'Answer removed.');
      if (updated) {
        drafts.delete(q.id);
        closeEditor(q.id);
      }
    };
    return h('form', { class: 'q-editor', novalidate: true, on: { submit: save } },
      h('label', { for: id, class: 'label' }, 'Written answer'),
      area,
      h('div', { class: 'row row-between' }, count,
        h('span', { class: 'row' },
          button('Cancel', 'reply-cancel', () => { drafts.delete(q.id); closeEditor(q.id); }, 'btn btn-ghost btn-sm'),
          q.answer ? button('Remove answer', 'reply-remove', async () => {
            if (await patch(q, { answer: null }, 'Answer removed.')) { drafts.delete(q.id); closeEditor(q.id); }
          }, 'btn btn-danger btn-sm') : null,
          h('button', { class: 'btn btn-sm', type: 'submit', dataset: { action: 'reply-save' } }, 'Publish answer'))));
  }

  function mergeEditor(q) {
    const id = `merge-${q.id}`;
    const targets = [...live.state.questions.values()]
      .filter((o) => o.id !== q.id && (o.state === 'visible' || o.state === 'pending'));
    sortQuestions(targets, 'top');
    const select = h('select', { id },
      h('option', { value: '' }, targets.length ? 'Choose the question to keep…' : 'No other question'),
      targets.map((o) => h('option', { value: String(o.id) }, `${clip(o.text, 90)} (${formatCount(o.upvotes || 0)})`)));
    const merge = async (ev) => {
      ev.preventDefault();
      if (!select.value) { select.focus(); return; }
      const updated = await act(() => mod('PATCH', `/api/questions/${q.id}`, { merge_into: Number(select.value) }));
      if (updated) {
        editor = null;
        live.upsertQuestion(updated);
        toast('Merged: its upvotes now count for the other question.');
        refetch();
      }
    };
    return h('form', { class: 'q-editor', novalidate: true, on: { submit: merge } },
      h('label', { for: id, class: 'label' }, 'Merge this duplicate into'),
      select,
      h('p', { class: 'hint' }, 'This question disappears; its upvoters move to the one you choose, each counted once.'),
      h('div', { class: 'row' },
        button('Cancel', 'merge-cancel', () => closeEditor(q.id), 'btn btn-ghost btn-sm'),
        h('button', { class: 'btn btn-sm', type: 'submit', dataset: { action: 'merge-save' } }, 'Merge')));
  }

  // --- lists -----------------------------------------------------------------------

  const render1 = (q) => renderQuestion(q, { role: 'moderator', actions: actionsFor(q), textId: `q-text-${q.id}` });
  const keyOf = (q) => JSON.stringify([q, editor && editor.id === q.id ? editor.kind : null,
    isOpen(q, 'merge') ? [...live.state.questions.keys()] : null]);
  // Never rebuild an item while someone types or chooses in its editor.
  const keep = (el) => el.contains(document.activeElement)
    && ['TEXTAREA', 'SELECT', 'INPUT'].includes(document.activeElement.tagName);
  const pendingList = new QuestionList(byId('qa-pending'), { render: render1, key: keyOf, keep });
  const list = new QuestionList(byId('qa-mod-list'), { render: render1, key: keyOf, keep });

  const kFilters = {
    live: (q) => q.state === 'visible',
    hidden: (q) => q.state === 'hidden' || q.state === 'dismissed',
    archived: (q) => q.state === 'archived',
  };
  const kEmpty = {
    live: ['No questions yet', 'Questions from the audience appear here as they come in. Attendees ask from the Q&A tab on their phones.'],
    hidden: ['Nothing hidden', 'Questions you hide or dismiss land here; you can show them again.'],
    archived: ['Nothing archived', 'Archive answered questions to keep the live list short.'],
  };

  function render() {
    renderSettings();
    const all = [...live.state.questions.values()];
    const pending = sortQuestions(all.filter((q) => q.state === 'pending'), 'recent').reverse(); // oldest first: a queue
    pendingList.update(pending);
    byId('qa-pending-empty').hidden = pending.length > 0;
    byId('qa-pending-card').hidden = pending.length === 0 && !live.state.qa.moderated;
    setText(byId('qa-pending-count'), pending.length ? formatCount(pending.length) : '');
    if (onPending) onPending(pending.length);
    if (lastPending !== null && pending.length > lastPending) say(`${pending.length} waiting for approval.`);
    lastPending = pending.length;

    for (const [name, test] of Object.entries(kFilters)) {
      const n = all.filter(test).length;
      setText(byId(`qa-n-${name}`), n ? formatCount(n) : '');
    }
    const shown = sortQuestions(all.filter(kFilters[filter]), sort);
    const ordered = filter === 'live' ? [...shown.filter((q) => q.pinned), ...shown.filter((q) => !q.pinned)] : shown;
    list.update(ordered);
    byId('qa-mod-empty').hidden = ordered.length > 0;
    setText(byId('qa-mod-empty-title'), kEmpty[filter][0]);
    setText(byId('qa-mod-empty-text'), kEmpty[filter][1]);

    const counted = all.filter((q) => q.state !== 'dismissed');
    setText(byId('qa-stat-total'), formatCount(counted.length));
    setText(byId('qa-stat-answered'), formatCount(counted.filter((q) => q.answered).length));
    setText(byId('qa-stat-upvotes'), formatCount(counted.reduce((n, q) => n + (q.upvotes || 0), 0)));
    byId('qa-archive-answered').disabled = !all.some((q) => q.state === 'visible' && q.answered);
  }

  // --- wiring ----------------------------------------------------------------------

  byId('qa-enabled').addEventListener('change', async (e) => {
    const on = e.target.checked;
    if (await patchEvent({ qa_enabled: on })) toast(on ? 'Q&A is open to the audience.' : 'Q&A is turned off for the audience.');
    renderSettings();
  });
  byId('qa-moderated').addEventListener('change', async (e) => {
    const on = e.target.checked;
    if (await patchEvent({ qa_moderated: on })) toast(on ? 'New questions now wait for your approval.' : 'New questions appear at once.');
    renderSettings();
  });
  byId('blocked-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = byId('blocked-input');
    const word = input.value.trim();
    if (!word) { input.focus(); return; }
    if (blockedWords.some((w) => w.toLowerCase() === word.toLowerCase())) {
      setText(byId('blocked-error'), `"${word}" is already blocked.`);
      return;
    }
    if (await setBlocked([...blockedWords, word])) {
      input.value = '';
      toast(`Blocked "${word}".`);
    }
  });
  byId('qa-archive-answered').addEventListener('click', async () => {
    const answered = [...live.state.questions.values()].filter((q) => q.state === 'visible' && q.answered);
    let n = 0;
    for (const q of answered) {
      if (await patch(q, { state: 'archived', pinned: false })) n += 1;
    }
    if (n) toast(`Archived ${n} answered ${n === 1 ? 'question' : 'questions'}.`);
  });
  byId('qa-export-csv').addEventListener('click', () =>
    act(() => downloadFile(`/api/events/${ev}/questions.csv`, token(), `voxpop-${code}-questions.csv`)));
  for (const radio of document.querySelectorAll('input[name="qa-filter"]')) {
    radio.addEventListener('change', () => { if (radio.checked) { filter = radio.value; editor = null; render(); } });
  }
  for (const radio of document.querySelectorAll('input[name="qa-mod-sort"]')) {
    radio.addEventListener('change', () => { if (radio.checked) { sort = radio.value; render(); } });
  }
  live.addEventListener('change', (e) => {
    if (['snapshot', 'question', 'question_removed', 'qa', 'event'].includes(e.detail.reason)) render();
  });
  renderBlocked();
  loadEvent();
  render();
  return { reload: loadEvent };
}

function clip(text, n) {
  const chars = [...text];
  return chars.length > n ? `${chars.slice(0, n - 1).join('')}…` : text;
}
