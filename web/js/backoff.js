// Capped exponential backoff with full jitter
// (delay = random(0, min(cap, base * 2^attempt))).

/** Reconnect delays: `next()` gives the next wait in ms, `reset()` after a success. */
export class Backoff {
  /**
   * @param {{base?: number, cap?: number, random?: () => number}} [opts]
   */
  constructor({ base = 500, cap = 10000, random = Math.random } = {}) {
    this.base = base;
    this.cap = cap;
    this.random = random;
    this.attempt = 0;
  }

  next() {
    const ceiling = Math.min(this.cap, this.base * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    // Never 0 ms: a floor keeps a dead server from being hammered in a loop.
    return Math.max(100, Math.floor(this.random() * ceiling));
  }

  reset() { this.attempt = 0; }
}
