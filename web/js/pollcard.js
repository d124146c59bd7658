// One poll as an attendee sees it: the question, the answer form for its
// type, the "answer recorded" line (shown only after the server's ack) and
// the results when the poll's visibility allows.

import { ApiError, describeError } from './api.js';
import { h, setText } from './dom.js';
import { ResultsView, kTypeNames } from './results.js';

let uid = 0;
const nextId = (prefix) => `${prefix}-${++uid}`;

/** Whether this attendee may see the results now. */
function resultsAllowed(poll, answered) {
  switch (poll.results) {
    case 'live': return true;
    case 'after_vote': return answered || poll.state === 'closed';
    case 'after_close': return poll.state === 'closed';
    default: return false;
  }
}

function waitingNote(poll, answered) {
  if (poll.results === 'after_vote' && !answered) return 'Results appear after you answer.';
  if (poll.results === 'after_close' || poll.results === 'after_vote') return 'Results appear when the poll closes.';
  return '';
}

function sameAnswer(a, b) {
  return JSON.stringify(a || null) === JSON.stringify(b || null);
}

/** An attendee's card for one poll; `update(poll)` re-renders it in place. */
export class PollCard {
  /**
   * @param {Object} poll
   * @param {{live: import('./live.js').LiveEvent, fetchResults: (id: number) => Promise<Object>}} deps
   */
  constructor(poll, { live, fetchResults }) {
    this.poll = poll;
    this.live = live;
    this.fetchResults = fetchResults;
    this.dirty = false;
    this.fetchedFor = '';
    this.headingId = nextId('q');

    this.stateBadge = h('span', { class: 'badge' });
    this.question = h('h2', { class: 'poll-question', id: this.headingId, text: poll.question });
    this.status = h('p', { class: 'poll-status', role: 'status', 'aria-live': 'polite' });
    this.submit = h('button', { class: 'btn btn-lg', type: 'submit' }, 'Send answer');
    this.form = h('form', { novalidate: true, 'aria-labelledby': this.headingId });
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.send();
    });
    this.form.addEventListener('input', () => this.onInput());
    this.form.addEventListener('change', () => this.onInput());
    this.buildForm();
    this.form.append(h('div', { class: 'poll-actions' }, this.submit, this.status));

    if (poll.results !== 'hidden') {
      this.results = new ResultsView(poll, { size: 'compact' });
    }
    this.hiddenNote = h('p', { class: 'muted small', text: 'Results are shown on the main screen.' });
    this.el = h('article', { class: 'card poll-card', dataset: { pollId: poll.id }, 'aria-labelledby': this.headingId },
      h('div', { class: 'poll-meta' },
        h('span', { class: 'eyebrow', text: kTypeNames[poll.type] || poll.type }), this.stateBadge),
      this.question, this.form,
      this.results ? this.results.el : this.hiddenNote);
  }

  // --- form per type ----------------------------------------------------

  buildForm() {
    const p = this.poll;
    const name = nextId('poll');
    this.inputs = [];
    if (p.type === 'single' || p.type === 'multiple') {
      const multiple = p.type === 'multiple';
      const max = p.max_choices || p.options.length;
      const legend = multiple
        ? h('legend', { class: 'hint' }, `Choose up to ${max}`)
        : h('legend', { class: 'sr-only' }, 'Choose one answer');
      const list = h('div', { class: 'choices' });
      for (const option of p.options) {
        const input = h('input', { type: multiple ? 'checkbox' : 'radio', name, value: String(option.id) });
        this.inputs.push(input);
        list.append(h('label', { class: multiple ? 'choice choice-check' : 'choice' },
          input, h('span', { class: 'choice-box', text: option.text })));
      }
      this.form.append(h('fieldset', { class: 'stack-sm' }, legend, list));
    } else if (p.type === 'rating') {
      const scale = p.scale || 5;
      this.scaleEl = h('div', { class: 'rating-scale' });
      for (let v = 1; v <= scale; v++) {
        const input = h('input', { type: 'radio', name, value: String(v), 'aria-label': `${v} of ${scale}` });
        this.inputs.push(input);
        this.scaleEl.append(h('label', { class: 'choice' }, input,
          h('span', { class: 'choice-box', 'aria-hidden': 'true' },
            h('span', { class: 'star', text: '★' }), h('span', { text: String(v) }))));
      }
      this.form.append(h('fieldset', {},
        h('legend', { class: 'sr-only' }, `Rate from 1 to ${scale}`),
        this.scaleEl,
        h('div', { class: 'rating-ends hint', 'aria-hidden': 'true' },
          h('span', { text: '1 = lowest' }), h('span', { text: `${scale} = highest` }))));
    } else if (p.type === 'wordcloud') {
      const max = p.max_words || 3;
      const box = h('div', { class: 'word-inputs' });
      for (let i = 0; i < max; i++) {
        const id = nextId('word');
        const input = h('input', {
          id, type: 'text', maxLength: 40, autocomplete: 'off', enterkeyhint: i === max - 1 ? 'send' : 'next',
          placeholder: i === 0 ? 'Type a word' : 'Another word (optional)',
        });
        this.inputs.push(input);
        box.append(h('label', { class: 'sr-only', for: id }, `Word ${i + 1} of ${max}`), input);
      }
      this.form.append(h('fieldset', { class: 'stack-sm' },
        h('legend', { class: 'hint' }, max === 1 ? 'One word or short phrase' : `Up to ${max} words or short phrases`),
        box));
    }
  }

  /** The answer currently entered in the form, or null when empty. */
  readAnswer() {
    const p = this.poll;
    if (p.type === 'wordcloud') {
      const words = this.inputs.map((i) => i.value.trim()).filter(Boolean);
      return words.length ? { words } : null;
    }
    const chosen = this.inputs.filter((i) => i.checked).map((i) => Number(i.value));
    if (!chosen.length) return null;
    if (p.type === 'rating') return { rating: chosen[0] };
    return { options: chosen };
  }

  /** Show a recorded answer in the form. */
  writeAnswer(answer) {
    if (!answer) return;
    if (this.poll.type === 'wordcloud') {
      const words = answer.words || [];
      this.inputs.forEach((input, i) => { input.value = words[i] || ''; });
      return;
    }
    const values = new Set((answer.options || (answer.rating ? [answer.rating] : [])).map(String));
    for (const input of this.inputs) input.checked = values.has(input.value);
  }

  onInput() {
    this.dirty = true;
    this.refreshControls();
    if (this.status.dataset.kind === 'error') this.setStatus('', '');
  }

  // --- sending ------------------------------------------------------------

  async send() {
    const answer = this.readAnswer();
    if (!answer) {
      this.setStatus(this.poll.type === 'wordcloud' ? 'Type at least one word.' : 'Choose an answer first.', 'error');
      return;
    }
    this.setStatus(this.live.isOpen() ? 'Sending…' : 'Offline — your answer will be sent when the connection is back.', 'busy');
    this.refreshControls();
    try {
      await this.live.respond(this.poll.id, answer);
      this.dirty = false;
      this.setStatus('Answer recorded', 'ok');
    } catch (err) {
      if (err instanceof ApiError && err.code === 'superseded') return;
      this.setStatus(describeError(err), 'error');
    }
    this.refreshControls();
  }

  setStatus(text, kind) {
    this.status.dataset.kind = kind;
    setText(this.status, text);
  }

  // --- rendering ------------------------------------------------------------

  /** Re-render for a new poll state, response or results. */
  update(poll) {
    if (poll.type !== this.poll.type || JSON.stringify(poll.options) !== JSON.stringify(this.poll.options) ||
        poll.max_words !== this.poll.max_words || poll.scale !== this.poll.scale) {
      // Edited while draft (rare for attendees): rebuild the whole form body.
      this.poll = poll;
      [...this.form.querySelectorAll('fieldset')].forEach((f) => f.remove());
      const actions = this.form.querySelector('.poll-actions');
      this.buildForm();
      this.form.append(actions);
    }
    this.poll = poll;
    setText(this.question, poll.question);
    const open = poll.state === 'open';
    this.stateBadge.className = `badge badge-${poll.state}`;
    setText(this.stateBadge, open ? 'Open' : 'Closed');

    const recorded = this.live.state.responses.get(poll.id);
    if (recorded && !this.dirty && !this.live.isPending(poll.id)) {
      this.writeAnswer(recorded);
      if (!this.status.dataset.kind || this.status.dataset.kind === 'busy') this.setStatus('Answer recorded', 'ok');
    }
    if (!open && this.status.dataset.kind !== 'ok') {
      this.setStatus(recorded ? 'Answer recorded' : 'This poll is closed.', recorded ? 'ok' : 'closed');
    }
    this.refreshControls();
    this.renderResults(!!recorded);
  }

  refreshControls() {
    const p = this.poll;
    const open = p.state === 'open';
    const recorded = this.live.state.responses.get(p.id);
    const pending = this.live.isPending(p.id);
    const locked = !open || (recorded && !p.allow_change);
    for (const input of this.inputs) input.disabled = locked;
    if (p.type === 'multiple' && !locked) {
      const max = p.max_choices || p.options.length;
      const count = this.inputs.filter((i) => i.checked).length;
      for (const input of this.inputs) input.disabled = !input.checked && count >= max;
    }
    if (this.scaleEl) {
      const value = Number(this.inputs.find((i) => i.checked)?.value || 0);
      this.scaleEl.classList.toggle('has-value', value > 0);
      this.inputs.forEach((input, i) => input.parentElement.classList.toggle('is-below', i + 1 < value));
    }
    this.submit.hidden = locked;
    setText(this.submit, recorded ? 'Change answer' : 'Send answer');
    this.submit.className = recorded ? 'btn btn-lg btn-secondary' : 'btn btn-lg';
    const unchanged = recorded && sameAnswer(this.readAnswer(), recorded);
    this.submit.disabled = pending || !!unchanged;
  }

  renderResults(answered) {
    if (!this.results) return;
    const p = this.poll;
    this.results.setPoll(p);
    const allowed = resultsAllowed(p, answered);
    const results = allowed ? this.live.state.results.get(p.id) || null : null;
    this.results.update(results);
    this.results.setNote(allowed ? '' : waitingNote(p, answered));
    if (allowed && !results) {
      // The server may not push results to us yet (e.g. right after our
      // first answer under "after vote"): ask once per state.
      const key = `${p.state}:${answered}`;
      if (this.fetchedFor === key) return;
      this.fetchedFor = key;
      this.fetchResults(p.id).then((r) => this.live.setResults(p.id, r)).catch(() => {});
    }
  }
}
