// Audience Q&A, the parts every page shares: question ordering, the one
// question renderer (attendee, moderator and projector roles), a keyed list
// that updates in place, and a polite screen-reader announcer.
// Question text, names and answers only ever enter the page as text nodes.

import { formatCount, h, setText } from './dom.js';

/** Limits from docs/API.md ("Audience Q&A"). */
export const kMaxQuestion = 300;
export const kMaxName = 40;
export const kMaxAnswer = 1000;

/**
 * Sort questions in place and return them.
 * `top`: most upvotes first, then newest; `recent`: newest first. Ties by id.
 * @param {Object[]} list
 * @param {'top'|'recent'} sort
 * @param {(q: Object) => number} [votes]  upvotes to sort by (optimistic counts)
 */
export function sortQuestions(list, sort, votes = (q) => q.upvotes || 0) {
  const newest = (a, b) => (b.created_at || 0) - (a.created_at || 0) || b.id - a.id;
  return list.sort(sort === 'recent' ? newest : (a, b) => votes(b) - votes(a) || newest(a, b));
}

/** Visible to the audience (and so to the projector): approved and not blocked. */
export function isPublic(q) {
  return q.state === 'visible' && !q.blocked;
}

/** "just now", "4 min ago", "2 h ago", "3 d ago". */
export function timeAgo(ms, now = Date.now()) {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const hours = Math.round(m / 60);
  if (hours < 24) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

const kStateLabels = {
  pending: 'Waiting for approval',
  dismissed: 'Dismissed',
  hidden: 'Hidden',
  archived: 'Archived',
};

function badge(kind, text) {
  return h('span', { class: `badge q-badge q-badge-${kind}`, text });
}

/**
 * Render one question. The same markup serves every page; `role` decides
 * what is added around the text.
 * @param {Object} q  a question object (docs/API.md)
 * @param {{role: 'attendee'|'moderator'|'projector', featured?: boolean, mine?: boolean,
 *          upvoted?: boolean, upvotes?: number, onUpvote?: (q: Object) => void,
 *          actions?: Node|null, now?: number, tag?: string, textId?: string}} opts
 *   `upvotes` overrides `q.upvotes` (optimistic count); `onUpvote` makes the
 *   count a toggle button (attendee); `actions` is appended (moderator tools).
 * @returns {HTMLElement}
 */
export function renderQuestion(q, opts) {
  const { role } = opts;
  const upvotes = opts.upvotes ?? q.upvotes ?? 0;
  const classes = ['q', `q-${role}`];
  if (opts.featured) classes.push('q-featured');
  if (q.answered) classes.push('is-answered');
  if (q.pinned) classes.push('is-pinned');
  if (q.state !== 'visible') classes.push(`is-${q.state}`);
  if (q.blocked) classes.push('is-blocked');
  if (opts.mine) classes.push('is-mine');

  const badges = [];
  if (q.pinned) badges.push(badge('pinned', 'Being answered now'));
  if (q.answered) badges.push(badge('answered', 'Answered'));
  if (role !== 'projector') {
    if (kStateLabels[q.state] && (role === 'moderator' || q.state === 'pending')) {
      badges.push(badge(q.state, kStateLabels[q.state]));
    }
    if (role === 'moderator' && q.blocked) badges.push(badge('blocked', 'Blocked word'));
    if (opts.mine) badges.push(badge('mine', 'Your question'));
  }

  const author = q.name ? q.name : 'Anonymous';
  const meta = h('p', { class: 'q-meta' },
    h('span', { class: q.name ? 'q-author' : 'q-author is-anon', text: author }),
    role !== 'projector' && q.created_at
      ? h('span', { class: 'q-time' }, h('span', { 'aria-hidden': 'true' }, ' · '),
        h('time', { datetime: new Date(q.created_at).toISOString(), text: timeAgo(q.created_at, opts.now) }))
      : null);

  const text = h(opts.featured ? 'h2' : 'p', { class: 'q-text', id: opts.textId, text: q.text });
  const answer = q.answer
    ? h('div', { class: 'q-answer' },
      h('p', { class: 'q-answer-label', text: 'Answer' }),
      h('p', { class: 'q-answer-text', text: q.answer }))
    : null;

  const count = formatCount(upvotes);
  let votes;
  if (opts.onUpvote) {
    const canVote = q.state === 'visible';
    votes = h('button', {
      class: 'q-votes q-vote-btn', type: 'button',
      'aria-pressed': String(!!opts.upvoted), disabled: !canVote,
      'aria-label': `${opts.upvoted ? 'Withdraw upvote' : 'Upvote'}: ${q.text} (${count} ${upvotes === 1 ? 'upvote' : 'upvotes'})`,
      dataset: { action: 'upvote' },
      on: { click: () => opts.onUpvote(q) },
    }, h('span', { class: 'q-arrow', 'aria-hidden': 'true' }), h('span', { class: 'q-count', text: count }));
  } else {
    votes = h('div', { class: 'q-votes', 'aria-label': `${count} ${upvotes === 1 ? 'upvote' : 'upvotes'}`, role: 'img' },
      h('span', { class: 'q-arrow', 'aria-hidden': 'true' }),
      h('span', { class: 'q-count', 'aria-hidden': 'true', text: count }));
  }

  return h(opts.tag || 'li', { class: classes.join(' '), dataset: { questionId: q.id } },
    h('div', { class: 'q-body' },
      badges.length ? h('p', { class: 'q-badges' }, badges) : null,
      text, meta, answer, opts.actions || null),
    votes);
}

/**
 * A list of questions rendered with `render(q)` that touches the DOM only
 * where something changed: an item is rebuilt when its `key(q)` differs, then
 * items are moved into order. Focus inside a rebuilt item goes to its twin
 * (same `data-action`), so keyboard users keep their place.
 */
export class QuestionList {
  /**
   * @param {HTMLElement} el  the `<ol>`/`<ul>`
   * @param {{render: (q: Object) => HTMLElement, key: (q: Object) => string,
   *          keep?: (el: HTMLElement) => boolean}} opts
   *   `keep(el)` may veto rebuilding an item (e.g. while its editor is in use).
   */
  constructor(el, { render, key, keep }) {
    this.el = el;
    this.render = render;
    this.key = key;
    this.keep = keep || (() => false);
    /** id → {el, key} */
    this.items = new Map();
  }

  /** Show `questions`, in this order. */
  update(questions) {
    const seen = new Set();
    const els = [];
    for (const q of questions) {
      seen.add(q.id);
      const k = this.key(q);
      let item = this.items.get(q.id);
      if (!item || (item.key !== k && !this.keep(item.el))) {
        const el = this.render(q);
        if (item) moveFocus(item.el, el);
        if (item && item.el.parentNode) item.el.replaceWith(el);
        item = { el, key: k };
        this.items.set(q.id, item);
      }
      els.push(item.el);
    }
    for (const [id, item] of this.items) {
      if (!seen.has(id)) {
        item.el.remove();
        this.items.delete(id);
      }
    }
    // Move into order with as few DOM moves as possible (focus survives a move
    // of an element that is not the focused one's ancestor).
    let cursor = this.el.firstElementChild;
    for (const el of els) {
      if (el === cursor) {
        cursor = cursor.nextElementSibling;
      } else {
        this.el.insertBefore(el, cursor);
      }
    }
    while (cursor) {
      const next = cursor.nextElementSibling;
      cursor.remove();
      cursor = next;
    }
  }

  /** Rebuild every item (e.g. to refresh the "5 min ago" times). */
  refresh(questions) {
    for (const item of this.items.values()) item.key = '';
    this.update(questions);
  }
}

function moveFocus(oldEl, newEl) {
  const active = document.activeElement;
  if (!active || !oldEl.contains(active)) return;
  const action = active.dataset ? active.dataset.action : null;
  const twin = action ? newEl.querySelector(`[data-action="${CSS.escape(action)}"]`) : null;
  // Focus after the swap: the new element is not in the document yet.
  queueMicrotask(() => {
    // Someone else placed the focus meanwhile (e.g. into an editor): leave it.
    if (document.activeElement && document.activeElement !== document.body) return;
    const target = twin && !twin.disabled ? twin : newEl.querySelector('button:not([disabled])');
    if (target && document.contains(target)) target.focus();
  });
}

/**
 * A polite announcer for list updates: the latest sentence is read once,
 * without reading the whole list again.
 * @param {HTMLElement} el  an element with role="status" aria-live="polite"
 * @returns {(text: string) => void}
 */
export function announcer(el) {
  let timer = null;
  return (text) => {
    clearTimeout(timer);
    timer = setTimeout(() => setText(el, text), 400);
  };
}
