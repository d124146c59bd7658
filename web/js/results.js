// Results rendering shared by the attendee, moderator and projector pages:
// bars with percent and "N respondents", the rating distribution, the word
// cloud, and always a text table (a polite live region) carrying the same
// figures for screen readers.
//
// The view is built once per poll and then only updated in place, so the
// layout does not shift when results arrive.

import { h, setText, formatCount, plural } from './dom.js';
import { WordCloudView } from './wordcloud.js';

const kTableThrottleMs = 1500;

/** "66.7%" / "100%" from the server's one-decimal percent. */
export function formatPercent(p) {
  const n = Number(p) || 0;
  const s = Number.isInteger(n) ? String(n) : n.toFixed(1);
  return `${s}%`;
}

/** Human name of a poll type. */
export const kTypeNames = {
  single: 'Single choice', multiple: 'Multiple choice', wordcloud: 'Word cloud', rating: 'Rating',
};

/**
 * The rows (label, votes, percent) to show for a poll's results; rows come
 * from the poll definition so they exist before any result does.
 */
function rowsFor(poll, results) {
  if (poll.type === 'rating') {
    const scale = poll.scale || 5;
    const counts = results?.rating?.counts || [];
    const total = results?.respondents || 0;
    return Array.from({ length: scale }, (_, i) => {
      const votes = counts[i] || 0;
      return {
        key: String(i + 1), label: `${i + 1} ★`, srLabel: `${i + 1} of ${scale}`,
        votes, percent: total ? Math.round((1000 * votes) / total) / 10 : 0,
      };
    });
  }
  const byId = new Map((results?.options || []).map((o) => [o.id, o]));
  return (poll.options || []).map((o) => {
    const r = byId.get(o.id);
    return {
      key: String(o.id), label: o.text, srLabel: o.text,
      votes: r ? r.votes : 0, percent: r ? r.percent : 0,
    };
  });
}

/** Live results of one poll. Create with `new ResultsView(poll)`, then `update()`. */
export class ResultsView {
  /**
   * @param {Object} poll
   * @param {{size?: 'compact'|'large', tableVisible?: boolean, cloud?: Object}} [opts]
   *   `tableVisible`: show the text table on screen (else only to screen readers).
   */
  constructor(poll, { size = 'compact', tableVisible = false, cloud = {} } = {}) {
    this.poll = poll;
    this.size = size;
    this.results = null;
    this.tableTimer = null;
    this.lastTableAt = 0;

    this.count = h('p', { class: 'results-count' });
    this.note = h('p', { class: 'results-note', hidden: true });
    this.body = h('div', { class: 'results-body' });
    this.tableRegion = h('div', {
      class: tableVisible ? 'results-table-wrap' : 'results-table-wrap sr-only',
      'aria-live': 'polite',
    });
    this.el = h('section', {
      class: `results results-${size} results-${poll.type}`,
      'aria-label': 'Results',
      dataset: { pollId: poll.id },
    }, h('div', { class: 'results-head' }, this.count, this.note), this.body, this.tableRegion);

    if (poll.type === 'wordcloud') {
      this.cloud = new WordCloudView(cloud);
      this.body.append(this.cloud.el);
    } else {
      this.bars = h('ol', { class: 'bars' });
      this.body.append(this.bars);
      this.summary = poll.type === 'rating' ? h('p', { class: 'rating-summary' }) : null;
      if (this.summary) this.body.append(this.summary);
      this.buildBars();
    }
    this.update(null);
  }

  /** The poll definition changed (options edited, visibility...). */
  setPoll(poll) {
    const optionsChanged = JSON.stringify(poll.options) !== JSON.stringify(this.poll.options) ||
      poll.scale !== this.poll.scale;
    this.poll = poll;
    if (optionsChanged && this.bars) this.buildBars();
    this.update(this.results);
  }

  buildBars() {
    this.rowEls = new Map();
    this.bars.replaceChildren();
    for (const row of rowsFor(this.poll, null)) {
      const fill = h('span', { class: 'bar-fill' });
      const pct = h('span', { class: 'bar-percent' });
      const votes = h('span', { class: 'bar-votes' });
      const li = h('li', { class: 'bar', dataset: { key: row.key } },
        h('div', { class: 'bar-line' },
          h('span', { class: 'bar-label', text: row.label }),
          h('span', { class: 'bar-figures' }, pct, votes)),
        h('span', { class: 'bar-track', 'aria-hidden': 'true' }, fill));
      this.bars.append(li);
      this.rowEls.set(row.key, { li, fill, pct, votes });
    }
  }

  /** Show a sentence instead of (or next to) the numbers. */
  setNote(text) {
    this.note.hidden = !text;
    setText(this.note, text || '');
  }

  /**
   * Render new results; `null` keeps the frame with empty bars.
   * @param {Object|null} results  a results object from the API
   */
  update(results) {
    this.results = results;
    this.el.classList.toggle('is-empty', !results);
    const n = results ? results.respondents || 0 : 0;
    setText(this.count, results ? plural(n, 'respondent', 'respondents') : '\u00a0');
    this.el.dataset.respondents = results ? String(n) : '';

    if (this.poll.type === 'wordcloud') {
      this.cloud.update(results ? results.words : []);
    } else {
      let best = -1;
      const rows = rowsFor(this.poll, results);
      for (const row of rows) best = Math.max(best, row.votes);
      for (const row of rows) {
        const els = this.rowEls.get(row.key);
        if (!els) continue;
        els.fill.style.width = `${Math.min(100, row.percent)}%`;
        setText(els.pct, results ? formatPercent(row.percent) : '');
        setText(els.votes, results ? formatCount(row.votes) : '');
        els.li.classList.toggle('is-leading', !!results && row.votes > 0 && row.votes === best);
      }
      if (this.summary) {
        const r = results?.rating;
        setText(this.summary, r && r.mean !== null && r.mean !== undefined
          ? `Average ${r.mean} · median ${r.median}` : '\u00a0');
      }
    }
    this.scheduleTable();
  }

  scheduleTable() {
    clearTimeout(this.tableTimer);
    const wait = Math.max(0, this.lastTableAt + kTableThrottleMs - Date.now());
    this.tableTimer = setTimeout(() => {
      this.lastTableAt = Date.now();
      this.renderTable();
    }, wait);
  }

  renderTable() {
    const r = this.results;
    if (!r) {
      this.tableRegion.replaceChildren();
      return;
    }
    const caption = h('caption', {},
      this.poll.question, ` — ${plural(r.respondents || 0, 'respondent', 'respondents')}`);
    let head;
    let rows;
    if (this.poll.type === 'wordcloud') {
      head = ['Word', 'Count'];
      rows = (r.words || []).filter((w) => !w.hidden).map((w) => [w.text, formatCount(w.count)]);
      if (!rows.length) rows = [['No words yet', '']];
    } else {
      head = [this.poll.type === 'rating' ? 'Rating' : 'Answer', 'Votes', 'Percent'];
      rows = rowsFor(this.poll, r).map((row) => [row.srLabel, formatCount(row.votes), formatPercent(row.percent)]);
    }
    const table = h('table', { class: 'results-table' }, caption,
      h('thead', {}, h('tr', {}, head.map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows.map((cells) => h('tr', {},
        h('th', { scope: 'row', text: cells[0] }),
        cells.slice(1).map((c) => h('td', { text: c }))))));
    this.tableRegion.replaceChildren(table);
  }
}
