// Small DOM helpers. User-provided text only ever enters the page as text
// nodes (textContent / createTextNode); nothing here touches innerHTML.

/**
 * Create an element. `attrs` keys: `class`, `text`, `dataset` (object),
 * `on` (object of event listeners), boolean/DOM properties such as
 * `disabled`, `checked`, `value`, `hidden`, and anything else as an attribute
 * (`aria-*`, `for`, `type`, ...). Children may be nodes, strings (added as
 * text) or null/false (skipped); arrays are flattened.
 * @param {string} tag
 * @param {Object} [attrs]
 * @param {...(Node|string|number|null|false|Array)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'on') {
      for (const [type, fn] of Object.entries(value)) el.addEventListener(type, fn);
    } else if (kProps.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

const kProps = new Set(['checked', 'disabled', 'value', 'hidden', 'selected',
  'required', 'multiple', 'readOnly', 'maxLength', 'min', 'max']);

/** Append children (nodes or text) to `parent`. */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Remove every child of `el`, then append `children`. */
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** `document.getElementById` that throws when the page is missing a piece. */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el;
}

/** Set the text of `el` only when it changed (keeps live regions quiet). */
export function setText(el, text) {
  const value = String(text);
  if (el.textContent !== value) el.textContent = value;
}

/** Format an integer with thin grouping for the page's language. */
export function formatCount(n) {
  return new Intl.NumberFormat(undefined).format(n);
}

/** "1 respondent" / "3 respondents". */
export function plural(n, one, many) {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Copy text to the clipboard; resolves to true on success. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Debounce `fn` by `ms` (trailing call). */
export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; fn(...args); }, ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}
