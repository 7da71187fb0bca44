// Accessible tabs (WAI-ARIA tabs pattern): the arrow keys, Home and End move between tabs.

export function tabs(list, { onChange } = {}) {
  const all = () => [...list.querySelectorAll('[role="tab"]')];
  function activate(tab, focus = true) {
    for (const t of all()) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')).hidden = !on;
    }
    if (focus) tab.focus();
    if (onChange) onChange(tab);
  }
  for (const tab of all()) {
    tab.addEventListener('click', () => activate(tab, false));
    tab.addEventListener('keydown', (event) => {
      const tabsNow = all();
      const i = tabsNow.indexOf(tab);
      const moves = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabsNow.length - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      activate(tabsNow[(moves[event.key] + tabsNow.length) % tabsNow.length]);
    });
  }
  return { activate: (id, focus = false) => activate(document.getElementById(id), focus) };
}
