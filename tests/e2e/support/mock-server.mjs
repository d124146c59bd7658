#!/usr/bin/env node
// A stand-in for the voxpop server, written from docs/API.md, for working on
// the frontend without a C++ build. It is NOT the product and proves nothing
// about the real server: the e2e tests run against the real binary unless
// VOXPOP_MOCK=1 is set explicitly.
//
// Same command line as the real binary:
//   node tests/e2e/support/mock-server.mjs --port 0 --address 127.0.0.1 --db /tmp/x.json --web-root web

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { WebSocketServer } from 'ws';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const webRoot = path.resolve(args['web-root'] || 'web');
const dbPath = args.db || null;

const kCsp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

let db = { events: {}, polls: {}, nextPoll: 1, nextOption: 1, nextParticipant: 1 };
if (dbPath && fs.existsSync(dbPath)) db = JSON.parse(fs.readFileSync(dbPath, 'utf8'));
const save = () => { if (dbPath) fs.writeFileSync(dbPath, JSON.stringify(db)); };

class HttpError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}
const sha = (s) => crypto.createHash('sha256').update(s).digest('hex');
const rnd = (n) => crypto.randomBytes(n).toString('hex');

function eventOf(code) {
  const ev = db.events[String(code || '').toUpperCase()];
  if (!ev) throw new HttpError(404, 'not_found', 'Unknown event.');
  return ev;
}
function isMod(ev, req) {
  const m = /^Bearer (.+)$/.exec(req.headers.authorization || '');
  return !!m && sha(m[1]) === ev.mt_hash;
}
function requireMod(ev, req) {
  if (!isMod(ev, req)) throw new HttpError(401, 'unauthorized', 'Moderator token required.');
}
function participantOf(ev, req) {
  const header = req.headers['x-participant-token'];
  const cookie = (req.headers.cookie || '').split(/;\s*/).map((c) => c.split('='))
    .find(([k]) => k === `vp_p_${ev.code}`);
  const tok = header || (cookie && cookie[1]);
  const p = tok && ev.participants[tok];
  if (!p) throw new HttpError(401, 'unauthorized', 'Participant token required.');
  return p;
}
function pollOf(id) {
  const p = db.polls[id];
  if (!p) throw new HttpError(404, 'not_found', 'Unknown poll.');
  return p;
}
const pollsOfEvent = (code) => Object.values(db.polls).filter((p) => p.event_code === code)
  .sort((a, b) => a.position - b.position);
const publicPoll = (p) => { const { responses, refs, hidden, merges, ...rest } = p; return rest; };

function results(p, moderator) {
  const rs = Object.values(p.responses);
  const base = { poll_id: p.id, question: p.question, type: p.type, state: p.state, respondents: rs.length };
  if (p.type === 'single' || p.type === 'multiple') {
    base.options = p.options.map((o) => {
      const votes = rs.filter((r) => (r.options || []).includes(o.id)).length;
      return { id: o.id, text: o.text, votes, percent: rs.length ? Math.round((1000 * votes) / rs.length) / 10 : 0 };
    });
  } else if (p.type === 'wordcloud') {
    const counts = new Map();
    for (const r of rs) {
      for (const w of r.words || []) {
        let key = w.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
        key = p.merges[key] || key;
        const e = counts.get(key) || { text: w.trim(), key, count: 0 };
        e.count++;
        counts.set(key, e);
      }
    }
    let words = [...counts.values()].map((w) => ({ ...w, hidden: !!p.hidden[w.key] }))
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
    base.distinct_words = words.length;
    if (!moderator) words = words.filter((w) => !w.hidden);
    base.words = words.slice(0, 50);
  } else {
    const counts = Array(p.scale).fill(0);
    const vals = rs.map((r) => r.rating).sort((a, b) => a - b);
    for (const v of vals) counts[v - 1]++;
    base.rating = {
      scale: p.scale, counts,
      mean: vals.length ? Math.round((10 * vals.reduce((a, b) => a + b, 0)) / vals.length) / 10 : null,
      median: vals.length ? vals[Math.floor(vals.length / 2)] : null,
    };
  }
  return base;
}
function visible(p, participantId) {
  if (p.results === 'live') return true;
  if (p.results === 'after_vote') return p.state === 'closed' || (participantId != null && p.responses[participantId]);
  if (p.results === 'after_close') return p.state === 'closed';
  return false;
}

function validatePollBody(b, partial) {
  const bad = (f) => { throw new HttpError(400, 'invalid_field', `Invalid field: ${f}`); };
  if (!partial && !['single', 'multiple', 'wordcloud', 'rating'].includes(b.type)) bad('type');
  if ((!partial || b.question !== undefined) && (typeof b.question !== 'string' || !b.question.trim())) bad('question');
  if (b.options !== undefined && (!Array.isArray(b.options) || b.options.length < 2 || b.options.length > 30 ||
      b.options.some((o) => typeof o !== 'string' || !o.trim()))) bad('options');
  if (b.results !== undefined && !['live', 'after_vote', 'after_close', 'hidden'].includes(b.results)) bad('results');
}

function createPoll(code, b) {
  validatePollBody(b, false);
  if ((b.type === 'single' || b.type === 'multiple') && !b.options) throw new HttpError(400, 'invalid_field', 'options');
  const id = db.nextPoll++;
  const options = (b.type === 'single' || b.type === 'multiple') ? b.options.map((t) => ({ id: db.nextOption++, text: t })) : [];
  const p = {
    id, event_code: code, position: pollsOfEvent(code).length, type: b.type, question: b.question, options,
    max_choices: b.type === 'multiple' ? (b.max_choices || options.length) : 1, max_words: b.max_words || 3,
    scale: b.scale || 5, state: 'draft', results: b.results || 'live', allow_change: b.allow_change !== false,
    responses: {}, refs: {}, hidden: {}, merges: {},
  };
  db.polls[id] = p;
  return p;
}

function respond(p, participant, body) {
  if (body.ref && p.refs[body.ref] === participant.id) return;
  if (p.state !== 'open') throw new HttpError(409, 'poll_not_open', 'Poll is not open.');
  if (p.responses[participant.id] && !p.allow_change) throw new HttpError(409, 'change_not_allowed', 'No change.');
  const bad = (f) => { throw new HttpError(400, 'invalid_field', `Invalid field: ${f}`); };
  let r;
  if (p.type === 'single' || p.type === 'multiple') {
    const ids = body.options;
    if (!Array.isArray(ids) || !ids.length || ids.some((i) => !p.options.find((o) => o.id === i))) bad('options');
    if (ids.length > (p.type === 'single' ? 1 : p.max_choices)) bad('options');
    r = { options: ids };
  } else if (p.type === 'wordcloud') {
    const ws = body.words;
    if (!Array.isArray(ws) || !ws.length || ws.length > p.max_words || ws.some((w) => typeof w !== 'string' || !w.trim() || w.length > 40)) bad('words');
    r = { words: ws };
  } else {
    if (!Number.isInteger(body.rating) || body.rating < 1 || body.rating > p.scale) bad('rating');
    r = { rating: body.rating };
  }
  p.responses[participant.id] = r;
  if (body.ref) p.refs[body.ref] = participant.id;
  save();
  scheduleResults(p);
}

// --- live -------------------------------------------------------------------
const sockets = new Set();
const resultTimers = new Map();
const seqs = new Map();
function broadcast(code, fn) {
  for (const s of sockets) {
    if (s.code !== code) continue;
    const msg = fn(s);
    if (msg) s.ws.send(JSON.stringify(msg));
  }
}
function scheduleResults(p) {
  if (resultTimers.has(p.id)) return;
  resultTimers.set(p.id, setTimeout(() => {
    resultTimers.delete(p.id);
    const seq = (seqs.get(p.id) || 0) + 1;
    seqs.set(p.id, seq);
    broadcast(p.event_code, (s) => (s.role === 'moderator' || visible(p, s.pid))
      ? { type: 'results', poll_id: p.id, seq, results: results(p, s.role === 'moderator') } : null);
  }, 200));
}
function pushPoll(p) {
  broadcast(p.event_code, (s) => (p.state !== 'draft' || s.role === 'moderator') ? { type: 'poll', poll: publicPoll(p) } : null);
  scheduleResults(p);
}
function snapshot(s) {
  const ev = db.events[s.code];
  const polls = pollsOfEvent(s.code).filter((p) => p.state !== 'draft' || s.role === 'moderator');
  const res = {};
  const mine = {};
  for (const p of polls) {
    if (s.role === 'moderator' || visible(p, s.pid)) res[p.id] = results(p, s.role === 'moderator');
    if (s.pid != null && p.responses[s.pid]) mine[p.id] = p.responses[s.pid];
  }
  return {
    type: 'snapshot', role: s.role, participant_id: s.pid ?? undefined, event: { code: ev.code, title: ev.title },
    polls: polls.map(publicPoll), results: res, responses: mine,
    online: [...sockets].filter((x) => x.code === s.code).length,
  };
}
function pushOnline(code) {
  const n = [...sockets].filter((x) => x.code === code).length;
  broadcast(code, () => ({ type: 'online', count: n }));
}

// --- HTTP -------------------------------------------------------------------
const kTypes = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.json': 'application/json', '.md': 'text/plain', '.LICENSE': 'text/plain' };

function send(res, status, body, headers = {}) {
  const isJson = typeof body !== 'string' && !Buffer.isBuffer(body) && body !== null;
  res.writeHead(status, { 'Content-Security-Policy': kCsp, ...(isJson ? { 'Content-Type': 'application/json' } : {}), ...headers });
  res.end(body === null ? undefined : isJson ? JSON.stringify(body) : body);
}
const csvCell = (v) => {
  let s = String(v ?? '');
  if (/^[=+\-@\t\r\n\0]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
};
function csv(polls) {
  const rows = [['poll_position', 'poll_id', 'question', 'type', 'state', 'respondents', 'answer', 'votes', 'percent', 'hidden']];
  for (const p of polls) {
    const r = results(p, true);
    const base = [p.position, p.id, p.question, p.type, p.state, r.respondents];
    if (r.options) for (const o of r.options) rows.push([...base, o.text, o.votes, o.percent, 'false']);
    if (r.words) for (const w of r.words) rows.push([...base, w.text, w.count, '', String(w.hidden)]);
    if (r.rating) r.rating.counts.forEach((c, i) => rows.push([...base, i + 1, c, r.respondents ? Math.round(1000 * c / r.respondents) / 10 : 0, 'false']));
  }
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    const v = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error();
    return v;
  } catch { throw new HttpError(400, 'invalid_json', 'Body is not a JSON object.'); }
}

async function api(req, res, url) {
  const parts = url.pathname.split('/').filter(Boolean).slice(1);
  const m = req.method;
  const body = ['POST', 'PATCH'].includes(m) ? await readBody(req) : {};
  if (parts[0] === 'events' && parts.length === 1 && m === 'POST') {
    const title = String(body.title || '').trim();
    if (!title || title.length > 200) throw new HttpError(400, 'invalid_field', 'Invalid field: title');
    let code = body.code ? String(body.code).toUpperCase() : null;
    if (code && !/^[A-Z0-9]{4,16}$/.test(code)) throw new HttpError(400, 'invalid_field', 'Invalid field: code');
    if (code && db.events[code]) throw new HttpError(409, 'code_taken', 'Code taken.');
    if (!code) do { code = Array.from({ length: 6 }, () => 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'[crypto.randomInt(31)]).join(''); } while (db.events[code]);
    const mt = `mt_${rnd(16)}`;
    db.events[code] = { code, title, created_at: Date.now(), mt_hash: sha(mt), participants: {}, joined: 0, peak: 0 };
    save();
    return send(res, 201, { code, title, moderator_token: mt, moderator_url: `/host/${code}#token=${mt}` });
  }
  if (parts[0] === 'events' && parts[1]) {
    const ev = eventOf(parts[1]);
    const rest = parts.slice(2).join('/');
    if (rest === '' && m === 'GET') {
      const mod = isMod(ev, req);
      return send(res, 200, { code: ev.code, title: ev.title, created_at: ev.created_at,
        polls: pollsOfEvent(ev.code).filter((p) => mod || p.state !== 'draft').map(publicPoll) });
    }
    if (rest === 'join' && m === 'POST') {
      const pt = `pt_${rnd(16)}`;
      const id = db.nextParticipant++;
      ev.participants[pt] = { id };
      ev.joined++;
      save();
      return send(res, 201, { participant_token: pt, participant_id: id },
        { 'Set-Cookie': `vp_p_${ev.code}=${pt}; Path=/; HttpOnly; SameSite=Lax` });
    }
    if (rest === 'summary' && m === 'GET') {
      requireMod(ev, req);
      const polls = pollsOfEvent(ev.code);
      const any = new Set(polls.flatMap((p) => Object.keys(p.responses)));
      return send(res, 200, { participants_joined: ev.joined, peak_online: ev.peak, respondents_any_poll: any.size,
        polls: polls.map((p) => ({ id: p.id, question: p.question, respondents: Object.keys(p.responses).length })), questions: 0 });
    }
    if (rest === 'qr.svg' && m === 'GET') {
      // Placeholder pattern (the real server renders a QR code).
      let cells = '';
      const h = sha(ev.code);
      for (let i = 0; i < 21 * 21; i++) if (parseInt(h[i % 64], 16) % 2) cells += `<rect x="${i % 21}" y="${Math.floor(i / 21)}" width="1" height="1"/>`;
      return send(res, 200, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21">${cells}</svg>`, { 'Content-Type': 'image/svg+xml' });
    }
    if (rest === 'polls' && m === 'GET') {
      const mod = isMod(ev, req);
      return send(res, 200, { polls: pollsOfEvent(ev.code).filter((p) => mod || p.state !== 'draft').map(publicPoll) });
    }
    if (rest === 'polls' && m === 'POST') {
      requireMod(ev, req);
      const p = createPoll(ev.code, body);
      save();
      pushPoll(p);
      return send(res, 201, publicPoll(p));
    }
    if (rest === 'polls/export' && m === 'GET') {
      requireMod(ev, req);
      return send(res, 200, { voxpop_deck: 1, title: ev.title, polls: pollsOfEvent(ev.code).map((p) => ({
        type: p.type, question: p.question, options: p.options.map((o) => o.text), results: p.results,
        allow_change: p.allow_change, max_choices: p.max_choices, max_words: p.max_words, scale: p.scale })) });
    }
    if (rest === 'polls/import' && m === 'POST') {
      requireMod(ev, req);
      (body.polls || []).forEach((b) => validatePollBody(b, false));
      const created = (body.polls || []).map((b) => createPoll(ev.code, b));
      save();
      created.forEach(pushPoll);
      return send(res, 201, { polls: created.map(publicPoll) });
    }
    if (rest === 'export.csv' && m === 'GET') {
      requireMod(ev, req);
      return send(res, 200, csv(pollsOfEvent(ev.code)), { 'Content-Type': 'text/csv; charset=utf-8' });
    }
    if (rest === 'export.json' && m === 'GET') {
      requireMod(ev, req);
      return send(res, 200, { event: { code: ev.code, title: ev.title }, polls: pollsOfEvent(ev.code).map((p) => ({ ...publicPoll(p), results: results(p, true) })) });
    }
  }
  if (parts[0] === 'polls' && parts[1]) {
    const p = pollOf(Number(parts[1]));
    const ev = eventOf(p.event_code);
    const rest = parts.slice(2).join('/');
    if (rest === '' && m === 'GET') return send(res, 200, publicPoll(p));
    if (rest === '' && m === 'PATCH') {
      requireMod(ev, req);
      validatePollBody(body, true);
      const draftOnly = ['question', 'options', 'max_choices', 'max_words', 'scale'].filter((k) => k in body);
      if (draftOnly.length && p.state !== 'draft') throw new HttpError(409, 'poll_not_draft', 'Poll is not a draft.');
      if (body.options) p.options = body.options.map((t) => ({ id: db.nextOption++, text: t }));
      for (const k of ['question', 'max_choices', 'max_words', 'scale', 'allow_change', 'results']) if (k in body) p[k] = body[k];
      if (body.state) p.state = body.state;
      if ('position' in body) {
        const list = pollsOfEvent(p.event_code).filter((x) => x !== p);
        list.splice(Math.max(0, Math.min(list.length, body.position)), 0, p);
        list.forEach((x, i) => { if (x.position !== i) { x.position = i; if (x !== p) pushPoll(x); } });
      }
      save();
      pushPoll(p);
      return send(res, 200, publicPoll(p));
    }
    if (rest === '' && m === 'DELETE') {
      requireMod(ev, req);
      delete db.polls[p.id];
      pollsOfEvent(p.event_code).forEach((x, i) => { x.position = i; });
      save();
      broadcast(p.event_code, () => ({ type: 'poll_deleted', poll_id: p.id }));
      return send(res, 204, null);
    }
    if (rest === 'responses' && m === 'POST') {
      respond(p, participantOf(ev, req), body);
      return send(res, 200, { accepted: true });
    }
    if (rest === 'results' && m === 'GET') {
      const mod = isMod(ev, req);
      if (!mod) {
        let pid = null;
        try { pid = participantOf(ev, req).id; } catch { /* anonymous */ }
        if (!visible(p, pid)) throw new HttpError(403, 'results_hidden', 'Results are hidden.');
      }
      return send(res, 200, results(p, mod));
    }
    if ((rest === 'words/hide' || rest === 'words/merge') && m === 'POST') {
      requireMod(ev, req);
      if (rest === 'words/hide') p.hidden[body.key] = !!body.hidden;
      else p.merges[body.from] = body.into;
      save();
      scheduleResults(p);
      return send(res, 200, results(p, true));
    }
    if (rest === 'export.csv' && m === 'GET') {
      requireMod(ev, req);
      return send(res, 200, csv([p]), { 'Content-Type': 'text/csv; charset=utf-8' });
    }
  }
  throw new HttpError(404, 'not_found', 'No such route.');
}

function serveFile(res, rel) {
  const file = path.join(webRoot, rel);
  if (!file.startsWith(webRoot) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    return send(res, 404, { error: { code: 'not_found', message: 'No such file.' } });
  }
  return send(res, 200, fs.readFileSync(file), { 'Content-Type': kTypes[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-cache' });
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  try {
    if (url.pathname.startsWith('/api/')) return await api(req, res, url);
    if (url.pathname === '/healthz') return send(res, 200, { status: 'ok', version: 'mock', db: 'ok' });
    if (url.pathname === '/') return serveFile(res, 'index.html');
    let m;
    if ((m = /^\/e\/[^/]+$/.exec(url.pathname))) return serveFile(res, 'attendee.html');
    if ((m = /^\/host\/[^/]+$/.exec(url.pathname))) return serveFile(res, 'host.html');
    if ((m = /^\/present\/[^/]+$/.exec(url.pathname))) return serveFile(res, 'present.html');
    if ((m = /^\/([A-Za-z0-9]{4,16})$/.exec(url.pathname))) return send(res, 302, '', { Location: `/e/${m[1].toUpperCase()}` });
    return serveFile(res, decodeURIComponent(url.pathname.slice(1)));
  } catch (err) {
    if (err instanceof HttpError) return send(res, err.status, { error: { code: err.code, message: err.message } });
    console.error(err);
    return send(res, 500, { error: { code: 'internal', message: 'Internal error.' } });
  }
});

const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  const m = /^\/ws\/events\/([^/?]+)/.exec(req.url);
  const code = m && m[1].toUpperCase();
  if (!code || !db.events[code]) { socket.end('HTTP/1.1 404 Not Found\r\n\r\n'); return; }
  wss.handleUpgrade(req, socket, head, (ws) => {
    const ev = db.events[code];
    const s = { ws, code, role: 'anonymous', pid: null };
    try { s.pid = participantOf(ev, req).id; s.role = 'participant'; } catch { /* anonymous */ }
    sockets.add(s);
    ev.peak = Math.max(ev.peak, [...sockets].filter((x) => x.code === code).length);
    ws.send(JSON.stringify(snapshot(s)));
    pushOnline(code);
    ws.on('message', (data) => {
      let msg;
      try { msg = JSON.parse(String(data)); } catch { ws.send(JSON.stringify({ type: 'error', code: 'invalid_json', message: 'Bad JSON.' })); return; }
      if (msg.type === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
      else if (msg.type === 'hello') {
        if (msg.moderator_token && sha(msg.moderator_token) === ev.mt_hash) { s.role = 'moderator'; s.pid = null; }
        else if (msg.participant_token && ev.participants[msg.participant_token]) { s.role = 'participant'; s.pid = ev.participants[msg.participant_token].id; }
        else { ws.send(JSON.stringify({ type: 'error', code: 'unauthorized', message: 'Unknown token.' })); return; }
        ws.send(JSON.stringify(snapshot(s)));
      } else if (msg.type === 'respond') {
        try {
          if (s.pid == null) throw new HttpError(401, 'unauthorized', 'Say hello first.');
          respond(pollOf(msg.poll_id), { id: s.pid }, msg);
          ws.send(JSON.stringify({ type: 'ack', ref: msg.ref, ok: true }));
        } catch (err) {
          ws.send(JSON.stringify({ type: 'ack', ref: msg.ref, ok: false, error: { code: err.code || 'internal', message: err.message } }));
        }
      }
    });
    ws.on('close', () => { sockets.delete(s); pushOnline(code); });
  });
});

server.listen(Number(args.port || 0), args.address || '127.0.0.1', () => {
  const { port } = server.address();
  console.log(`voxpop mock listening on http://${args.address || '127.0.0.1'}:${port}`);
});
process.on('SIGTERM', () => { for (const s of sockets) s.ws.terminate(); server.close(() => process.exit(0)); setTimeout(() => process.exit(0), 500); });
