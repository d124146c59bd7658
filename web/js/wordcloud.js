// A calm word cloud on top of the vendored wordcloud2.js (window.WordCloud,
// loaded by a classic <script src="/vendor/wordcloud2.js">).
//
// Layout is deterministic (no shuffle, no rotation, words in count order)
// and is redone only when what is drawn would visibly change — the set and
// order of the top words or a word's size step — and at most once per
// debounce window, so the cloud does not jump on every vote.

const kMaxDrawn = 50;
const kDebounceMs = 700;
const kSizeStep = 4; // px; sizes are quantised so +1 vote rarely re-lays out
const kFontFamily = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';

/** Renders a list of `{text, key, count, hidden}` words into a canvas. */
export class WordCloudView {
  /**
   * @param {{minFont?: number, maxFont?: number, label?: string}} [opts]
   *   font sizes in CSS px at the reference width of 800 px.
   */
  constructor({ minFont = 16, maxFont = 72, label = 'Word cloud' } = {}) {
    this.minFont = minFont;
    this.maxFont = maxFont;
    this.words = [];
    this.signature = '';
    this.timer = null;
    this.lastLayoutAt = 0;
    this.el = document.createElement('div');
    this.el.className = 'cloud';
    this.el.dataset.state = 'empty';
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'cloud-canvas';
    // The canvas is decoration; the text table next to it carries the words.
    this.canvas.setAttribute('aria-hidden', 'true');
    this.canvas.setAttribute('aria-label', label);
    this.empty = document.createElement('p');
    this.empty.className = 'cloud-empty';
    this.empty.textContent = 'Words will appear here as people answer.';
    this.el.append(this.canvas, this.empty);
    this.drawn = [];
    this.canvas.addEventListener('wordclouddrawn', (ev) => {
      if (ev.detail && ev.detail.drawn) this.drawn.push(ev.detail.item[0]);
    });
    this.canvas.addEventListener('wordcloudstop', () => {
      this.el.dataset.drawn = JSON.stringify(this.drawn);
      this.el.dataset.state = 'drawn';
    });
    this.resizeObserver = new ResizeObserver(() => this.schedule(true));
    this.resizeObserver.observe(this.el);
    this.scheme = window.matchMedia('(prefers-color-scheme: dark)');
    this.scheme.addEventListener('change', () => this.schedule(true));
  }

  /** New word tallies; redraws only when the picture would change. */
  update(words) {
    this.words = (words || []).filter((w) => !w.hidden && w.count > 0).slice(0, kMaxDrawn);
    this.empty.hidden = this.words.length > 0;
    this.schedule(false);
  }

  schedule(force) {
    if (force) this.signature = '';
    clearTimeout(this.timer);
    const wait = Math.max(0, this.lastLayoutAt + kDebounceMs - Date.now());
    this.timer = setTimeout(() => this.layout(), wait);
  }

  sizes(width, height) {
    const max = this.words.length ? this.words[0].count : 1;
    const scale = Math.min(1.6, Math.max(0.6, width / 600));
    // The biggest word must leave room around it, whatever the box's shape.
    const top = Math.min(this.maxFont * scale, height * 0.3);
    const bottom = Math.max(12, Math.min(this.minFont * scale, top * 0.5));
    return this.words.map((w) => {
      // Linear in the count: twice the votes, clearly bigger.
      const px = max > 1 ? bottom + ((top - bottom) * (w.count - 1)) / (max - 1) : top * 0.8;
      return Math.max(kSizeStep, Math.round(px / kSizeStep) * kSizeStep);
    });
  }

  layout() {
    const width = Math.floor(this.el.clientWidth);
    const height = Math.floor(this.el.clientHeight);
    if (width < 50 || height < 50 || !window.WordCloud) return;
    const sizes = this.sizes(width, height);
    const signature = `${width}x${height}|` +
      this.words.map((w, i) => `${w.key || w.text}:${sizes[i]}`).join('|');
    if (signature === this.signature) return;
    this.signature = signature;
    this.lastLayoutAt = Date.now();

    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.floor(width * dpr);
    this.canvas.height = Math.floor(height * dpr);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.drawn = [];
    if (!this.words.length) {
      const ctx = this.canvas.getContext('2d');
      ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
      this.el.dataset.drawn = '[]';
      this.el.dataset.state = 'empty';
      return;
    }
    this.el.dataset.state = 'drawing';
    const palette = this.palette();
    window.WordCloud(this.canvas, {
      list: this.words.map((w, i) => [w.text, sizes[i] * dpr]),
      fontFamily: kFontFamily,
      fontWeight: '600',
      weightFactor: 1,
      color: (word) => palette[hash(word) % palette.length],
      backgroundColor: 'rgba(0,0,0,0)',
      gridSize: Math.round(Math.max(6, width / 120) * dpr),
      padding: 1, // vendored patch: one empty cell between words
      shuffle: false,
      rotateRatio: 0,
      shrinkToFit: true,
      drawOutOfBound: false,
      clearCanvas: true,
    });
  }

  palette() {
    const style = getComputedStyle(this.el);
    const colors = [1, 2, 3, 4].map((i) => style.getPropertyValue(`--cloud-${i}`).trim())
      .filter(Boolean);
    return colors.length ? colors : ['#3f3ac6', '#0f766e', '#9d174d', '#1f2937'];
  }
}

/** Stable colour choice per word (so a word keeps its colour across layouts). */
function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}
