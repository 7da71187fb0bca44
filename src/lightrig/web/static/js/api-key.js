// The API key field: servers with users need `Authorization: Bearer <key>`. The key is kept in
// this browser's localStorage; a server on this machine with no users needs none.

import { byId, text } from './dom.js';

export class ApiKeyControl {
  constructor(api, { onChange }) {
    this.api = api;
    this.onChange = onChange;
    this.button = byId('key-button');
    this.dialog = byId('key-dialog');
    this.input = byId('key-input');
    this.state = byId('key-state');
    this.button.addEventListener('click', () => this.open());
    byId('key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.save(this.input.value.trim());
    });
    byId('key-forget').addEventListener('click', () => this.save(''));
    byId('key-cancel').addEventListener('click', () => this.dialog.close());
    this.render();
  }

  open() {
    this.input.value = this.api.key;
    this.dialog.showModal();
    this.input.focus();
  }

  save(key) {
    this.api.setKey(key);
    this.dialog.close();
    this.render();
    this.onChange(key);
  }

  render() {
    const key = this.api.key;
    this.button.classList.toggle('has-key', Boolean(key));
    text(this.state, key ? `…${key.slice(-4)}` : 'none');
    this.button.setAttribute('aria-label', key ? `API key set (ending ${key.slice(-4)}): change it` : 'API key: none set');
  }
}
