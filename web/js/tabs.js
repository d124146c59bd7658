// WAI-ARIA tabs: buttons with role="tab" and aria-controls inside a
// role="tablist"; arrow keys, Home and End move between them (roving tabindex).

/**
 * Make `tablist` behave as tabs.
 * @param {HTMLElement} tablist
 * @param {{onChange?: (name: string) => void}} [opts]
 *   `onChange` gets the selected tab's `data-tab` (or its id) after each switch.
 * @returns {{select: (name: string, focus?: boolean) => void, selected: () => string}}
 */
export function bindTabs(tablist, { onChange } = {}) {
  const tabs = [...tablist.querySelectorAll('[role="tab"]')];
  const nameOf = (tab) => tab.dataset.tab || tab.id;
  let current = nameOf(tabs.find((t) => t.getAttribute('aria-selected') === 'true') || tabs[0]);

  function select(name, focus = false) {
    for (const tab of tabs) {
      const on = nameOf(tab) === name;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute('aria-controls'));
      if (panel) panel.hidden = !on;
      if (on && focus) tab.focus();
    }
    const changed = current !== name;
    current = name;
    if (changed && onChange) onChange(name);
  }

  for (const tab of tabs) {
    tab.addEventListener('click', () => select(nameOf(tab)));
    tab.addEventListener('keydown', (ev) => {
      const i = tabs.indexOf(tab);
      let next = null;
      if (ev.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
      else if (ev.key === 'ArrowLeft') next = tabs[(i - 1 + tabs.length) % tabs.length];
      else if (ev.key === 'Home') next = tabs[0];
      else if (ev.key === 'End') next = tabs[tabs.length - 1];
      if (!next) return;
      ev.preventDefault();
      select(nameOf(next), true);
    });
  }
  select(current);
  return { select, selected: () => current };
}
