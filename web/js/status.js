// The small connection indicator every live page shows while the socket is
// down ("Reconnecting…"), announced politely to screen readers.

import { setText } from './dom.js';

const kShowConnectingAfterMs = 1200;
const kBackOnlineMs = 2500;

/**
 * Mirror a LiveEvent's status into `el` (an element with role="status").
 * @param {import('./live.js').LiveEvent} live
 * @param {HTMLElement} el
 */
export function bindStatus(live, el) {
  let hideTimer = null;
  let wasDown = false;
  const show = (text, kind) => {
    clearTimeout(hideTimer);
    el.dataset.kind = kind;
    el.classList.add('is-visible');
    setText(el, text);
  };
  const hide = () => {
    el.classList.remove('is-visible');
    hideTimer = setTimeout(() => setText(el, ''), 300);
  };
  const connectingTimer = setTimeout(() => {
    if (live.status === 'connecting') show('Connecting…', 'busy');
  }, kShowConnectingAfterMs);

  live.addEventListener('status', (ev) => {
    const status = ev.detail.status;
    document.documentElement.dataset.live = status;
    if (status === 'reconnecting') {
      wasDown = true;
      show('Reconnecting…', 'busy');
    } else if (status === 'open') {
      clearTimeout(connectingTimer);
      if (wasDown) {
        show('Back online', 'ok');
        hideTimer = setTimeout(hide, kBackOnlineMs);
      } else {
        hide();
      }
      wasDown = false;
    }
  });
}
