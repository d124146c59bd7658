// Where the page is and who the user is: the event code from the URL and the
// tokens remembered per event in localStorage.

/** The event code from `/e/{code}`, `/host/{code}`, `/present/{code}`, upper-cased. */
export function codeFromPath(pathname = location.pathname) {
  const parts = pathname.split('/').filter(Boolean);
  const raw = parts.length ? decodeURIComponent(parts[parts.length - 1]) : '';
  return raw.trim().toUpperCase();
}

/** A code is 4–16 characters A–Z 0–9 (case-insensitive). */
export function isValidCode(code) {
  return /^[A-Z0-9]{4,16}$/.test(code);
}

const kParticipantKey = (code) => `voxpop:pt:${code}`;
const kModeratorKey = (code) => `voxpop:mt:${code}`;

function read(key) {
  try { return localStorage.getItem(key); } catch { return null; }
}
function write(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch { /* private mode: the cookie still identifies the participant */ }
}

export const participantToken = {
  get: (code) => read(kParticipantKey(code)),
  set: (code, token) => write(kParticipantKey(code), token),
  clear: (code) => write(kParticipantKey(code), null),
};

export const moderatorToken = {
  get: (code) => read(kModeratorKey(code)),
  set: (code, token) => write(kModeratorKey(code), token),
  clear: (code) => write(kModeratorKey(code), null),
};

/** Event codes this browser holds a moderator token for. */
export function hostedCodes() {
  const codes = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key && key.startsWith('voxpop:mt:')) codes.push(key.slice('voxpop:mt:'.length));
    }
  } catch { /* storage unavailable */ }
  return codes.sort();
}

/** The short join URL shown on slides and the projector: `https://host/CODE`. */
export function joinUrl(code, event) {
  if (event && typeof event.join_url === 'string') return event.join_url;
  return `${location.origin}/${code}`;
}

/** The join URL without the scheme, for display in big letters. */
export function displayUrl(url) {
  return url.replace(/^https?:\/\//, '');
}
