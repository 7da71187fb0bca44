// The lights of the setup as a row of chips: select one, switch it on or off, or add a role
// the setup does not have yet. (Removing is in the light inspector.)

import { h, replace } from './dom.js';
import { percentText } from './format.js';

export class Roster {
  constructor(root, store) {
    this.root = root;
    this.store = store;
    store.subscribe((change) => {
      if (change.scene || change.selection) this.render();
    });
    this.render();
  }

  render() {
    const { scene, selected } = this.store;
    const present = [];
    const missing = [];
    for (const role of this.store.conventions.roles) {
      const light = scene.lighting_setup[role];
      const info = this.store.conventions.role(role);
      if (!light) {
        missing.push(h('button', {
          type: 'button', class: 'add-role', 'data-role': role, style: `--accent: ${info.accent}`,
          onclick: () => { this.menuOpen = false; this.store.addLight(role); },
        }, h('span', { class: 'role-dot small', 'aria-hidden': 'true' }), h('b', {}, info.label), h('span', { class: 'muted small' }, info.blurb)));
        continue;
      }
      const on = light.enabled;
      present.push(h('div', {
        class: `chip${role === selected ? ' chip-selected' : ''}${on ? '' : ' chip-off'}`,
        'data-role': role, style: `--accent: ${info.accent}`,
      },
        h('input', {
          type: 'checkbox', class: 'chip-toggle', checked: on,
          'aria-label': `${info.label} light on`, title: on ? 'Switch off' : 'Switch on',
          onchange: (event) => this.store.update((s) => { s.lighting_setup[role].enabled = event.target.checked; }, { source: 'toggle' }),
        }),
        h('button', {
          type: 'button', class: 'chip-select', 'aria-pressed': String(role === selected),
          title: info.blurb, onclick: () => this.store.select(role),
        }, info.label, h('span', { class: 'chip-value' }, on ? percentText(light.intensity) : 'off'))));
    }
    // rebuilding the chips must not lose the keyboard user's place
    const focused = document.activeElement;
    const was = focused && this.root.contains(focused)
      ? { role: focused.closest('[data-role]')?.dataset.role, toggle: focused.classList.contains('chip-toggle') }
      : null;
    const menu = missing.length ? h('details', { class: 'menu add-menu', open: this.menuOpen },
      h('summary', { class: 'chip-add', 'aria-label': 'Add a light' }, '+ Add light'),
      h('div', { class: 'menu-list add-list' }, ...missing)) : null;
    if (menu) menu.addEventListener('toggle', () => { this.menuOpen = menu.open; });
    replace(this.root, ...present, menu);
    if (was && was.role) {
      const chip = this.root.querySelector(`[data-role="${was.role}"]`);
      const target = chip && (chip.matches('button')
        ? chip : chip.querySelector(was.toggle ? '.chip-toggle' : '.chip-select'));
      if (target) target.focus();
    }
  }
}
