// Messages for the user, in words: errors stay until dismissed, news fades after a while.
// The region is a live region, so screen readers hear them too.

import { byId, h } from './dom.js';
import { describeError } from './api.js';

const NEWS_MS = 6000;

export class Notices {
  constructor(region = byId('notices')) {
    this.region = region;
  }

  show(kind, message, { action, timeout } = {}) {
    const item = h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
      h('p', {}, message));
    if (action) {
      item.append(h('button', { type: 'button', class: 'link', onclick: () => { action.run(); item.remove(); } }, action.label));
    }
    item.append(h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Dismiss', title: 'Dismiss', onclick: () => item.remove() }, '×'));
    this.region.prepend(item);
    while (this.region.children.length > 4) this.region.lastElementChild.remove();
    const ms = timeout ?? (kind === 'error' ? 0 : NEWS_MS);
    if (ms) setTimeout(() => item.remove(), ms);
    return item;
  }

  info(message, options) { return this.show('info', message, options); }

  error(context, error, options) {
    return this.show('error', `${context}: ${describeError(error)}`, options);
  }
}
