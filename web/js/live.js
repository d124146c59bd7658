// The live connection to an event: one WebSocket to /ws/events/{code} that
// says hello after every connect, resyncs the whole state from each
// `snapshot`, reconnects with capped exponential backoff plus full jitter,
// and keeps `respond` messages queued until the server acks them (the `ref`
// is idempotent on the server, so a resend after a drop never counts twice).

import { Backoff } from './backoff.js';
import { ApiError } from './api.js';

const kPingEveryMs = 20000;
const kSilenceLimitMs = 50000;
const kAckTimeoutMs = 6000;

/** A merged question is gone for every viewer (its upvotes live in the other one). */
function keepQuestion(q) {
  return q && q.state !== 'merged';
}

let refCounter = 0;
/** A fresh, unique `ref` (≤ 64 characters). */
export function newRef() {
  refCounter += 1;
  const rand = Math.random().toString(36).slice(2, 10);
  return `r${Date.now().toString(36)}${rand}${refCounter}`;
}

/**
 * Live state of one event, kept in sync with the server.
 *
 * Events dispatched (all `CustomEvent`):
 * - `change`  `{detail: {reason, pollId?, questionId?}}` — state changed; re-render.
 *   Q&A reasons: `question`, `question_removed`, `qa` (settings changed).
 * - `status`  `{detail: {status}}` — 'connecting' | 'open' | 'reconnecting' | 'closed'.
 * - `unauthorized` — the server refused the hello token.
 * - `servererror` `{detail: {code, message}}` — any other `error` frame.
 */
export class LiveEvent extends EventTarget {
  /**
   * @param {string} code  event code
   * @param {{hello?: () => (Object|null), restRespond?: (pollId: number, body: Object) => Promise<any>,
   *          WebSocketImpl?: typeof WebSocket}} [opts]
   *   `hello` builds the hello message (null: stay anonymous);
   *   `restRespond` posts a response over REST when the socket cannot.
   */
  constructor(code, opts = {}) {
    super();
    this.code = code;
    this.helloFn = opts.hello || (() => null);
    this.restRespond = opts.restRespond || null;
    this.WebSocketImpl = opts.WebSocketImpl || WebSocket;
    this.backoff = new Backoff();
    this.status = 'connecting';
    this.ws = null;
    this.stopped = false;
    this.retryTimer = null;
    this.pingTimer = null;
    this.lastMessageAt = 0;
    this.seq = new Map();
    /** pollId → {ref, message, resolve, reject, timer, sent} */
    this.pending = new Map();
    this.state = {
      role: 'anonymous', participantId: null, event: null, online: 0,
      polls: new Map(), results: new Map(), responses: new Map(), synced: false,
      // Audience Q&A (docs/API.md "Audience Q&A"): what this viewer may see.
      qa: { enabled: true, moderated: false },
      questions: new Map(), myUpvotes: new Set(), myQuestions: new Set(),
    };
    this.onWindowOnline = () => this.reconnectNow();
    this.onVisible = () => {
      if (document.visibilityState === 'visible') this.reconnectNow();
    };
  }

  /** Open the connection (and keep it open until `stop()`). */
  start() {
    this.stopped = false;
    window.addEventListener('online', this.onWindowOnline);
    document.addEventListener('visibilitychange', this.onVisible);
    this.connect();
    return this;
  }

  /** Close for good: no reconnect. */
  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.onWindowOnline);
    document.removeEventListener('visibilitychange', this.onVisible);
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    if (this.ws) this.ws.close(1000, 'bye');
    this.ws = null;
  }

  /** Send the hello again (e.g. after the user entered a token). */
  rehello() {
    if (this.isOpen()) this.sendHello();
  }

  isOpen() {
    return this.ws !== null && this.ws.readyState === 1;
  }

  /** Polls in `position` order. */
  pollList() {
    return [...this.state.polls.values()].sort((a, b) => a.position - b.position || a.id - b.id);
  }

  /**
   * Answer a poll. Resolves after the server's ack (WebSocket) or 200 (REST);
   * rejects with an ApiError for a refused answer. While offline the answer
   * waits in a queue and goes out, with the same `ref`, once back online; a
   * newer answer to the same poll replaces a queued one.
   * @param {number} pollId
   * @param {{options?: number[], words?: string[], rating?: number}} answer
   * @returns {Promise<void>}
   */
  respond(pollId, answer) {
    const previous = this.pending.get(pollId);
    if (previous) {
      clearTimeout(previous.timer);
      previous.reject(new ApiError(0, 'superseded', 'Replaced by a newer answer.'));
    }
    const ref = newRef();
    const message = { type: 'respond', ref, poll_id: pollId, ...answer };
    return new Promise((resolve, reject) => {
      const entry = { ref, message, answer, resolve, reject, timer: null, viaRest: false };
      this.pending.set(pollId, entry);
      this.emit('change', { reason: 'pending', pollId });
      if (this.isOpen()) this.sendPending(entry);
      else this.tryRest(entry);
    });
  }

  /** True while an answer to `pollId` waits for its ack. */
  isPending(pollId) {
    return this.pending.has(pollId);
  }

  // --- connection -------------------------------------------------------

  connect() {
    clearTimeout(this.retryTimer);
    if (this.stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const url = `${scheme}://${location.host}/ws/events/${encodeURIComponent(this.code)}`;
    let ws;
    try {
      ws = new this.WebSocketImpl(url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.addEventListener('open', () => this.onOpen(ws));
    ws.addEventListener('message', (ev) => this.onMessage(ws, ev));
    ws.addEventListener('close', () => this.onClose(ws));
    // 'error' is always followed by 'close'; reconnect happens there.
  }

  onOpen(ws) {
    if (ws !== this.ws) return;
    this.lastMessageAt = Date.now();
    this.sendHello();
    // Flush answers given while offline, same refs: the server deduplicates.
    for (const entry of this.pending.values()) this.sendPending(entry);
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.heartbeat(), kPingEveryMs);
  }

  sendHello() {
    const hello = this.helloFn();
    if (hello) this.send({ type: 'hello', ...hello });
  }

  heartbeat() {
    if (!this.isOpen()) return;
    if (Date.now() - this.lastMessageAt > kSilenceLimitMs) {
      // A half-open connection: nothing heard for too long. Start over.
      this.ws.close();
      this.onClose(this.ws);
      return;
    }
    this.send({ type: 'ping' });
  }

  onClose(ws) {
    if (ws !== this.ws) return;
    this.ws = null;
    clearInterval(this.pingTimer);
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    if (this.stopped) {
      this.setStatus('closed');
      return;
    }
    this.setStatus('reconnecting');
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    clearTimeout(this.retryTimer);
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => this.connect(), this.backoff.next());
  }

  /** Skip the backoff wait (browser says it is online again, tab visible). */
  reconnectNow() {
    if (this.stopped || this.ws) return;
    this.backoff.reset();
    this.connect();
  }

  send(obj) {
    if (!this.isOpen()) return false;
    this.ws.send(JSON.stringify(obj));
    return true;
  }

  setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    this.emit('status', { status });
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  // --- responses -------------------------------------------------------

  sendPending(entry) {
    if (!this.send(entry.message)) return;
    clearTimeout(entry.timer);
    // No ack in time on a socket that looks open: try REST with the same ref.
    entry.timer = setTimeout(() => this.tryRest(entry), kAckTimeoutMs);
  }

  async tryRest(entry) {
    if (!this.restRespond || entry.viaRest) return;
    entry.viaRest = true;
    const body = { ...entry.answer, ref: entry.ref };
    try {
      await this.restRespond(entry.message.poll_id, body);
      this.settle(entry, null);
    } catch (err) {
      entry.viaRest = false;
      if (err instanceof ApiError && !err.isNetwork && err.status < 500) {
        this.settle(entry, err);
      }
      // Network trouble or 5xx: stays queued; the socket resends on reconnect.
    }
  }

  settle(entry, error) {
    const pollId = entry.message.poll_id;
    if (this.pending.get(pollId) !== entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(pollId);
    if (error) {
      entry.reject(error);
    } else {
      this.state.responses.set(pollId, entry.answer);
      entry.resolve();
    }
    this.emit('change', { reason: 'response', pollId });
  }

  // --- incoming ----------------------------------------------------------

  onMessage(ws, ev) {
    if (ws !== this.ws) return;
    this.lastMessageAt = Date.now();
    let msg;
    try {
      msg = JSON.parse(ev.data);
    } catch {
      return;
    }
    const s = this.state;
    switch (msg.type) {
      case 'snapshot':
        s.role = msg.role || 'anonymous';
        s.participantId = msg.participant_id ?? null;
        s.event = msg.event || s.event;
        s.online = msg.online ?? s.online;
        s.polls = new Map((msg.polls || []).map((p) => [p.id, p]));
        s.results = new Map(Object.entries(msg.results || {}).map(([k, v]) => [Number(k), v]));
        s.responses = new Map(Object.entries(msg.responses || {}).map(([k, v]) => [Number(k), v]));
        s.questions = new Map((msg.questions || []).filter(keepQuestion).map((q) => [q.id, q]));
        s.myUpvotes = new Set(msg.my_upvotes || []);
        s.myQuestions = new Set(msg.my_questions || []);
        if (msg.qa) s.qa = { ...s.qa, ...msg.qa };
        s.synced = true;
        this.seq.clear();
        this.backoff.reset();
        this.setStatus('open');
        this.emit('change', { reason: 'snapshot' });
        break;
      case 'event': {
        s.event = { ...s.event, ...msg.event };
        // Every `event` message carries the Q&A settings; only a change of
        // them is a `qa` change, anything else is the moderator presenting.
        const qa = msg.event && msg.event.qa;
        if (qa && (qa.enabled !== s.qa.enabled || qa.moderated !== s.qa.moderated)) {
          s.qa = { ...s.qa, ...qa };
          this.emit('change', { reason: 'qa' });
        } else {
          this.emit('change', { reason: 'event' });
        }
        break;
      }
      case 'question':
        if (msg.question) this.upsertQuestion(msg.question);
        break;
      case 'question_removed':
        this.removeQuestion(msg.question_id);
        break;
      case 'poll':
        s.polls.set(msg.poll.id, msg.poll);
        this.emit('change', { reason: 'poll', pollId: msg.poll.id });
        break;
      case 'poll_deleted':
        s.polls.delete(msg.poll_id);
        s.results.delete(msg.poll_id);
        s.responses.delete(msg.poll_id);
        this.emit('change', { reason: 'poll_deleted', pollId: msg.poll_id });
        break;
      case 'results': {
        const last = this.seq.get(msg.poll_id);
        if (typeof msg.seq === 'number' && last !== undefined && msg.seq <= last) break;
        if (typeof msg.seq === 'number') this.seq.set(msg.poll_id, msg.seq);
        s.results.set(msg.poll_id, msg.results);
        this.emit('change', { reason: 'results', pollId: msg.poll_id });
        break;
      }
      case 'online':
        s.online = msg.count;
        this.emit('change', { reason: 'online' });
        break;
      case 'ack':
        this.onAck(msg);
        break;
      case 'error':
        if (msg.ref) {
          this.onAck({ ref: msg.ref, ok: false, error: { code: msg.code, message: msg.message } });
        } else if (msg.code === 'unauthorized') {
          this.emit('unauthorized', {});
        } else {
          this.emit('servererror', { code: msg.code, message: msg.message });
        }
        break;
      default:
        break; // pong and future types
    }
  }

  onAck(msg) {
    for (const entry of this.pending.values()) {
      if (entry.ref !== msg.ref) continue;
      if (!msg.ok && msg.error?.code === 'rate_limited') {
        // Not taken because this socket sent too much at once (a reconnect flushing a
        // queue, say): the vote stays pending and goes again, same ref, a second later.
        clearTimeout(entry.timer);
        entry.timer = setTimeout(() => this.sendPending(entry), 1000);
        return;
      }
      const error = msg.ok ? null
        : new ApiError(409, msg.error?.code || 'error', msg.error?.message || 'Not accepted.');
      this.settle(entry, error);
      return;
    }
  }

  /** Store results fetched over REST (e.g. right after answering). */
  setResults(pollId, results) {
    this.state.results.set(pollId, results);
    this.emit('change', { reason: 'results', pollId });
  }

  /** Apply a poll returned by a REST call without waiting for the broadcast. */
  upsertPoll(poll) {
    this.state.polls.set(poll.id, poll);
    this.emit('change', { reason: 'poll', pollId: poll.id });
  }

  // --- Q&A ----------------------------------------------------------------

  /** Apply a question from a `question` message or a REST answer. */
  upsertQuestion(question) {
    if (!keepQuestion(question)) {
      this.removeQuestion(question.id);
      return;
    }
    this.state.questions.set(question.id, question);
    this.emit('change', { reason: 'question', questionId: question.id });
  }

  removeQuestion(questionId) {
    if (!this.state.questions.delete(questionId)) return;
    this.emit('change', { reason: 'question_removed', questionId });
  }

  /** Replace the question list with a REST `GET …/questions` answer. */
  setQuestions(body) {
    const s = this.state;
    s.questions = new Map((body.questions || []).filter(keepQuestion).map((q) => [q.id, q]));
    if (body.my_upvotes) s.myUpvotes = new Set(body.my_upvotes);
    if (body.my_questions) s.myQuestions = new Set(body.my_questions);
    this.emit('change', { reason: 'question' });
  }

  /** Record whether this participant upvotes `questionId` (server-confirmed). */
  setMyUpvote(questionId, on) {
    if (on) this.state.myUpvotes.add(questionId);
    else this.state.myUpvotes.delete(questionId);
  }

  /** Q&A settings from a REST event answer (`qa_enabled`, `qa_moderated`). */
  setQaSettings(event) {
    const qa = { ...this.state.qa };
    if (typeof event.qa_enabled === 'boolean') qa.enabled = event.qa_enabled;
    if (typeof event.qa_moderated === 'boolean') qa.moderated = event.qa_moderated;
    this.state.qa = qa;
    this.emit('change', { reason: 'qa' });
  }

  removePoll(pollId) {
    this.state.polls.delete(pollId);
    this.state.results.delete(pollId);
    this.emit('change', { reason: 'poll_deleted', pollId });
  }
}
