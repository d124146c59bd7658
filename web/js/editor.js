// The moderator's poll editor: a modal <dialog> to create a poll or edit a
// draft. It only builds the request body; the caller sends it.

import { byId, h, setText } from './dom.js';

const kMinOptions = 2;
const kMaxOptions = 30;

/** Create/edit dialog. `open(poll?)` resolves with the body to send, or null. */
export class PollEditor {
  constructor() {
    this.dialog = byId('editor');
    this.form = byId('editor-form');
    this.optionsBox = byId('editor-options');
    this.error = byId('editor-error');
    this.resolve = null;
    this.onSave = null;

    byId('editor-add-option').addEventListener('click', () => {
      const input = this.addOption('');
      input.focus();
    });
    byId('editor-cancel').addEventListener('click', () => this.close(null));
    this.dialog.addEventListener('close', () => this.finish(null));
    this.form.addEventListener('change', (ev) => {
      if (ev.target.name === 'type') this.syncType();
    });
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.submit();
    });
  }

  /**
   * Show the dialog.
   * @param {Object|null} poll  a draft to edit, or null for a new poll
   * @param {(body: Object) => Promise<void>} save  sends the body; throws to keep the dialog open
   */
  open(poll, save) {
    this.onSave = save;
    this.editing = poll;
    setText(byId('editor-title'), poll ? 'Edit poll' : 'New poll');
    setText(byId('editor-save'), poll ? 'Save changes' : 'Create poll');
    setText(this.error, '');
    const type = poll ? poll.type : 'single';
    for (const radio of this.form.elements.type) {
      radio.checked = radio.value === type;
      radio.disabled = false;
    }
    byId('editor-question').value = poll ? poll.question : '';
    this.optionsBox.replaceChildren();
    const options = poll && poll.options.length ? poll.options.map((o) => o.text) : ['', ''];
    for (const text of options) this.addOption(text);
    const nOptions = poll ? poll.options.length : 0;
    byId('editor-max-choices').value = poll && poll.type === 'multiple' && poll.max_choices !== nOptions
      ? String(poll.max_choices) : '';
    byId('editor-max-words').value = String(poll ? poll.max_words || 3 : 3);
    byId('editor-scale').value = String(poll ? poll.scale || 5 : 5);
    byId('editor-results').value = poll ? poll.results : 'live';
    byId('editor-allow-change').checked = poll ? poll.allow_change : true;
    this.syncType();
    this.dialog.showModal();
    byId('editor-question').focus();
    return new Promise((resolve) => { this.resolve = resolve; });
  }

  addOption(text) {
    const index = this.optionsBox.children.length + 1;
    const id = `editor-option-${Date.now().toString(36)}-${index}`;
    const input = h('input', { id, type: 'text', maxLength: 200, value: text, class: 'option-input' });
    const remove = h('button', { class: 'btn btn-ghost btn-sm btn-icon', type: 'button' }, '✕');
    const row = h('div', { class: 'option-row' },
      h('label', { class: 'sr-only', for: id }, `Option ${index}`), input, remove);
    remove.addEventListener('click', () => {
      if (this.optionsBox.children.length <= kMinOptions) return;
      row.remove();
      this.relabel();
    });
    this.optionsBox.append(row);
    this.relabel();
    return input;
  }

  relabel() {
    const rows = [...this.optionsBox.children];
    rows.forEach((row, i) => {
      setText(row.querySelector('label'), `Option ${i + 1}`);
      const remove = row.querySelector('button');
      remove.setAttribute('aria-label', `Remove option ${i + 1}`);
      remove.disabled = rows.length <= kMinOptions;
    });
    byId('editor-add-option').disabled = rows.length >= kMaxOptions;
  }

  type() {
    return [...this.form.elements.type].find((r) => r.checked)?.value || 'single';
  }

  syncType() {
    const type = this.type();
    byId('editor-options-box').hidden = !(type === 'single' || type === 'multiple');
    byId('editor-max-choices-box').hidden = type !== 'multiple';
    byId('editor-max-words-box').hidden = type !== 'wordcloud';
    byId('editor-scale-box').hidden = type !== 'rating';
  }

  body() {
    const type = this.type();
    const body = {
      question: byId('editor-question').value.trim(),
      results: byId('editor-results').value,
      allow_change: byId('editor-allow-change').checked,
    };
    if (!this.editing) body.type = type;
    if (!body.question) return { error: 'Write the question first.', focus: byId('editor-question') };
    if (type === 'single' || type === 'multiple') {
      const options = [...this.optionsBox.querySelectorAll('input')].map((i) => i.value.trim()).filter(Boolean);
      if (options.length < kMinOptions) {
        return { error: 'Give at least two options.', focus: this.optionsBox.querySelector('input') };
      }
      body.options = options;
      if (type === 'multiple') {
        const max = Number(byId('editor-max-choices').value);
        body.max_choices = max >= 1 ? Math.min(max, options.length) : options.length;
      }
    } else if (type === 'wordcloud') {
      body.max_words = Math.min(10, Math.max(1, Number(byId('editor-max-words').value) || 3));
    } else if (type === 'rating') {
      body.scale = Math.min(10, Math.max(2, Number(byId('editor-scale').value) || 5));
    }
    return { body };
  }

  async submit() {
    const { body, error, focus } = this.body();
    if (error) {
      setText(this.error, error);
      if (focus) focus.focus();
      return;
    }
    const save = byId('editor-save');
    save.disabled = true;
    try {
      await this.onSave(body);
      this.close(body);
    } catch (err) {
      setText(this.error, err.message || 'Could not save the poll.');
    } finally {
      save.disabled = false;
    }
  }

  close(value) {
    this.finish(value);
    if (this.dialog.open) this.dialog.close();
  }

  finish(value) {
    if (this.resolve) {
      const resolve = this.resolve;
      this.resolve = null;
      resolve(value);
    }
  }
}
