// Landing page: join an event by code, or create one and go to its console.

import { api, describeError, ApiError } from './api.js';
import { byId, h, setText } from './dom.js';
import { isValidCode, moderatorToken, hostedCodes } from './session.js';

const joinForm = byId('join-form');
const joinInput = byId('join-code');
const joinError = byId('join-error');
const createForm = byId('create-form');
const createError = byId('create-error');

function normaliseCode(value) {
  return value.replace(/[\s-]+/g, '').toUpperCase();
}

function showError(el, input, message) {
  setText(el, message);
  if (input) input.setAttribute('aria-invalid', message ? 'true' : 'false');
}

joinForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const code = normaliseCode(joinInput.value);
  if (!isValidCode(code)) {
    showError(joinError, joinInput, 'An event code has 4 to 16 letters or digits.');
    joinInput.focus();
    return;
  }
  showError(joinError, joinInput, '');
  const button = joinForm.querySelector('button');
  button.disabled = true;
  try {
    await api('GET', `/api/events/${encodeURIComponent(code)}`);
    location.assign(`/e/${encodeURIComponent(code)}`);
  } catch (err) {
    button.disabled = false;
    const message = err instanceof ApiError && err.code === 'not_found'
      ? `No event with the code ${code}. Check the code on the screen.`
      : describeError(err);
    showError(joinError, joinInput, message);
    joinInput.focus();
  }
});

createForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const titleInput = byId('create-title-input');
  const codeInput = byId('create-code');
  const title = titleInput.value.trim();
  const code = normaliseCode(codeInput.value);
  if (!title) {
    showError(createError, titleInput, 'Give your event a title.');
    titleInput.focus();
    return;
  }
  if (code && !isValidCode(code)) {
    showError(createError, codeInput, 'A custom code has 4 to 16 letters or digits.');
    codeInput.focus();
    return;
  }
  showError(createError, titleInput, '');
  const button = createForm.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    const body = code ? { title, code } : { title };
    const event = await api('POST', '/api/events', { body });
    moderatorToken.set(event.code, event.moderator_token);
    location.assign(event.moderator_url || `/host/${event.code}#token=${event.moderator_token}`);
  } catch (err) {
    button.disabled = false;
    const message = err instanceof ApiError && err.code === 'code_taken'
      ? `The code ${code} is already taken. Try another one.`
      : describeError(err);
    showError(createError, code ? codeInput : titleInput, message);
  }
});

function showRecent() {
  const codes = hostedCodes();
  if (!codes.length) return;
  const list = byId('recent-list');
  for (const code of codes) {
    list.append(h('li', {}, h('a', { class: 'pill pill-code', href: `/host/${code}` }, code)));
  }
  byId('recent').hidden = false;
}

showRecent();
// On a laptop, start typing right away; on a phone, don't pop the keyboard.
if (window.matchMedia('(pointer: fine)').matches) joinInput.focus({ preventScroll: true });
