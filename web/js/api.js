// fetch wrapper speaking the voxpop REST contract (docs/API.md): JSON in and
// out, and every error as an ApiError carrying the server's stable `code`.

/** An error answered by the API (`status` + `code`), or a network failure (`status` 0). */
export class ApiError extends Error {
  constructor(status, code, message, retryAfter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  /** True when the request never got an answer (offline, server down). */
  get isNetwork() { return this.status === 0; }
}

/**
 * Call the API.
 * @param {string} method
 * @param {string} path  absolute path, e.g. `/api/events/ABC`
 * @param {{body?: any, token?: string, participant?: string, raw?: boolean}} [opts]
 *   `token`: moderator bearer token; `participant`: participant token;
 *   `raw`: resolve to the Response (for downloads) instead of parsed JSON.
 * @returns {Promise<any>}
 */
export async function api(method, path, opts = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.participant) headers['X-Participant-Token'] = opts.participant;

  let res;
  try {
    res = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, 'network', 'Could not reach the server. Check your connection.');
  }
  if (!res.ok) {
    let code = 'http_' + res.status;
    let message = `The server answered ${res.status}.`;
    try {
      const body = await res.json();
      if (body && body.error) {
        code = body.error.code || code;
        message = body.error.message || message;
      }
    } catch { /* not JSON: keep the generic message */ }
    const retry = Number(res.headers.get('Retry-After')) || null;
    throw new ApiError(res.status, code, message, retry);
  }
  if (opts.raw) return res;
  if (res.status === 204) return null;
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

/** A human sentence for an error, for status lines and alerts. */
export function describeError(err) {
  if (err instanceof ApiError) {
    if (err.code === 'rate_limited') {
      return `Too many requests. Try again in ${err.retryAfter || 'a few'} seconds.`;
    }
    return err.message;
  }
  return 'Something went wrong. Please try again.';
}

/**
 * Download a moderator export as a file.
 * @param {string} path
 * @param {string} token
 * @param {string} filename
 */
export async function downloadFile(path, token, filename) {
  const res = await api('GET', path, { token, raw: true });
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
