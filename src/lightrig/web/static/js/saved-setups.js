// Saved setups: the user's lighting setups kept on the server under names (/v1/setups) — saved
// from the studio, opened, renamed, deleted, imported from a setup file (what Export writes) —
// and read-only share links: /?share=TOKEN opens a setup in the studio for anyone who has the
// link, without an API key (/v1/shared/TOKEN), and grants nothing else.

import { byId, h, replace, text } from './dom.js';
import { ApiError, describeError } from './api.js';

/** The query parameter a share link carries its token in (the server's STUDIO_SHARE_PATH). */
export const SHARE_PARAM = 'share';

const enc = encodeURIComponent;

/** "portrait.json" → "portrait": a setup file's name, as the setup's. */
function stem(filename) {
  const base = String(filename).replace(/^.*[\\/]/, '');
  return base.replace(/\.[^.]+$/, '') || base;
}

/** When a setup was last saved, in the reader's words and time zone. */
function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export class SavedSetups {
  /** `store`: the studio's state; `api`: the ApiClient; `notices`: where news and errors go. */
  constructor(store, api, notices) {
    Object.assign(this, { store, api, notices });
    this.setups = [];
    this.dialog = this.build();
    document.body.append(this.dialog);
    byId('setups-button').addEventListener('click', () => this.open());
  }

  build() {
    this.nameInput = h('input', {
      id: 'setup-name', type: 'text', maxlength: '100', autocomplete: 'off', spellcheck: 'false',
      placeholder: 'e.g. Portrait, warm key', required: true,
    });
    this.saveForm = h('form', { id: 'setup-save-form', class: 'setup-save' },
      h('label', { for: 'setup-name', class: 'field-label' }, 'Save the current setup as'),
      h('div', { class: 'setup-row' }, this.nameInput, h('button', { type: 'submit', class: 'primary' }, 'Save')));
    this.saveForm.addEventListener('submit', (event) => {
      event.preventDefault();
      this.save(this.nameInput.value, this.store.request());
    });
    this.importInput = h('input', { id: 'setup-import', type: 'file', accept: 'application/json,.json', class: 'sr-only' });
    this.importInput.addEventListener('change', () => {
      if (this.importInput.files.length) this.importFile(this.importInput.files[0]);
      this.importInput.value = '';
    });
    this.error = h('p', { id: 'setups-error', class: 'panel-error', role: 'alert', hidden: true });
    this.status = h('p', { id: 'setups-status', class: 'muted small', 'aria-live': 'polite' });
    this.list = h('ul', { id: 'setups-list', class: 'setups-list', 'aria-label': 'Your saved setups' });
    this.shareUrl = h('input', { id: 'setup-share-url', type: 'text', readonly: true, spellcheck: 'false' });
    this.shareLabel = h('label', { for: 'setup-share-url', class: 'field-label', id: 'setup-share-label' });
    this.shareBox = h('div', { id: 'setup-share', class: 'setup-link-box', hidden: true },
      this.shareLabel,
      h('div', { class: 'setup-row' }, this.shareUrl,
        h('button', { type: 'button', class: 'secondary', id: 'setup-share-copy', onclick: () => this.copyLink() }, 'Copy')),
      h('p', { class: 'muted small' }, 'Anyone with the link sees this setup, read-only, without a key. Revoke to stop it.'));
    return h('dialog', { id: 'setups-dialog', class: 'setups-dialog', 'aria-labelledby': 'setups-title' },
      h('div', { class: 'setups-head' },
        h('h2', { id: 'setups-title' }, 'Saved setups'),
        h('label', { class: 'file-button ghost-label', title: 'Save a setup file (what Export › Setup writes) under its name, and open it' },
          'Import JSON…', this.importInput),
        h('button', { type: 'button', class: 'icon-button', id: 'setups-close', 'aria-label': 'Close', title: 'Close', onclick: () => this.dialog.close() }, '×')),
      this.saveForm, this.error, this.status, this.list, this.shareBox);
  }

  async open() {
    this.showError(null);
    this.shareBox.hidden = true;
    if (!this.dialog.open) this.dialog.showModal();
    this.nameInput.focus();
    await this.refresh();
  }

  /** Ask for the list again and draw it. */
  async refresh() {
    this.list.setAttribute('aria-busy', 'true');
    try {
      this.setups = await this.api.json('GET', '/v1/setups');
      this.render();
    } catch (error) {
      this.setups = [];
      this.render();
      this.showError(`Could not list your setups — ${describeError(error)}`);
    } finally {
      this.list.removeAttribute('aria-busy');
    }
  }

  render() {
    text(this.status, this.setups.length ? '' : 'No saved setups yet: name this one and press Save.');
    replace(this.list, ...this.setups.map((setup) => this.item(setup)));
    this.dialog.dataset.count = String(this.setups.length);
  }

  item(setup) {
    const actions = h('span', { class: 'setup-actions' },
      h('button', { type: 'button', class: 'ghost small setup-rename', onclick: () => this.startRename(setup, row) }, 'Rename'),
      h('button', { type: 'button', class: 'ghost small setup-share', onclick: () => this.share(setup) }, 'Share link'),
      h('button', { type: 'button', class: 'ghost small setup-revoke', disabled: !setup.shared, title: 'Stop every link to it from working', onclick: () => this.revoke(setup) }, 'Revoke'),
      h('button', { type: 'button', class: 'ghost small danger setup-delete', onclick: (event) => this.remove(setup, event.currentTarget) }, 'Delete'));
    const row = h('li', { class: 'saved-setup', dataset: { id: setup.setup_id, name: setup.name, shared: String(setup.shared) } },
      h('button', { type: 'button', class: 'link setup-open', title: 'Open it in the studio', onclick: () => this.openSetup(setup) }, setup.name),
      h('span', { class: 'muted small setup-meta' }, when(setup.updated_at), setup.shared ? h('span', { class: 'tag setup-shared' }, 'shared') : null),
      actions);
    return row;
  }

  /** Load a setup (a SceneRequest) into the studio, its key light chosen. */
  load(request, source) {
    const select = request.lighting_setup && request.lighting_setup.key ? 'key' : undefined;
    this.store.load(request, { source, select });
  }

  openSetup(setup) {
    this.load(setup.request, 'saved');
    this.dialog.close();
    this.notices.info(`Opened “${setup.name}”.`);
  }

  /** Save `request` as `name`; a name in use asks whether to replace that setup. */
  async save(name, request, { overwrite = false, open = false } = {}) {
    this.showError(null);
    try {
      const saved = await this.api.json('POST', '/v1/setups', { json: { name, request, overwrite } });
      this.nameInput.value = '';
      await this.refresh();
      if (open) this.load(saved.request, 'import');
      text(this.status, `Saved “${saved.name}”.`);
      this.notices.info(`Saved “${saved.name}”.`);
      return saved;
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        this.showError(`A setup named “${name}” exists already.`, {
          label: 'Replace it', run: () => this.save(name, request, { overwrite: true, open }),
        });
      } else {
        this.showError(`Could not save “${name}” — ${describeError(error)}`);
      }
      return null;
    }
  }

  /** A setup file (or a saved setup as the API answers it, {name, request}) saved under its
   * name and opened; what is wrong with it is said in one line. */
  async importFile(file) {
    this.showError(null);
    let document;
    try {
      document = JSON.parse(await file.text());
    } catch (error) {
      this.showError(`Could not import ${file.name} — not JSON: ${error.message}`);
      return;
    }
    let name = stem(file.name);
    let request = document;
    if (document && typeof document === 'object' && !Array.isArray(document)
        && document.request && typeof document.request === 'object') {
      if (typeof document.name === 'string' && document.name) name = document.name;
      request = document.request;
    }
    await this.save(name, request, { open: true });
  }

  startRename(setup, row) {
    const input = h('input', { type: 'text', class: 'setup-rename-input', value: setup.name, maxlength: '100', 'aria-label': `New name for ${setup.name}` });
    const form = h('form', { class: 'setup-rename-form' }, input,
      h('button', { type: 'submit', class: 'secondary small' }, 'Rename'),
      h('button', { type: 'button', class: 'ghost small', onclick: () => this.render() }, 'Cancel'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.rename(setup, input.value);
    });
    input.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault(); // not the dialog's: only the renaming is cancelled
      event.stopPropagation();
      this.render();
    });
    row.querySelector('.setup-open').replaceWith(form);
    input.focus();
    input.select();
  }

  async rename(setup, name) {
    this.showError(null);
    try {
      const renamed = await this.api.json('PATCH', `/v1/setups/${enc(setup.setup_id)}`, { json: { name } });
      await this.refresh();
      text(this.status, `Renamed to “${renamed.name}”.`);
    } catch (error) {
      this.showError(`Could not rename “${setup.name}” — ${describeError(error)}`);
    }
  }

  /** Delete on a second click (the button asks first). */
  async remove(setup, button) {
    if (button.dataset.confirm !== 'true') {
      button.dataset.confirm = 'true';
      button.textContent = 'Delete — sure?';
      return;
    }
    this.showError(null);
    try {
      await this.api.json('DELETE', `/v1/setups/${enc(setup.setup_id)}`);
      await this.refresh();
      text(this.status, `Deleted “${setup.name}”${setup.shared ? ' and its links' : ''}.`);
    } catch (error) {
      this.showError(`Could not delete “${setup.name}” — ${describeError(error)}`);
    }
  }

  async share(setup) {
    this.showError(null);
    try {
      const link = await this.api.json('POST', `/v1/setups/${enc(setup.setup_id)}/share`);
      await this.refresh();
      text(this.shareLabel, `Share link to “${setup.name}”`);
      this.shareUrl.value = link.url;
      this.shareBox.hidden = false;
      this.shareBox.dataset.setupId = setup.setup_id;
      await this.copyLink();
    } catch (error) {
      this.showError(`Could not share “${setup.name}” — ${describeError(error)}`);
    }
  }

  async copyLink() {
    this.shareUrl.select();
    try {
      await navigator.clipboard.writeText(this.shareUrl.value);
      text(this.status, 'Link copied.');
    } catch {
      text(this.status, 'Copy the link below (the browser did not let the page copy it).');
    }
  }

  async revoke(setup) {
    this.showError(null);
    try {
      await this.api.json('DELETE', `/v1/setups/${enc(setup.setup_id)}/share`);
      if (this.shareBox.dataset.setupId === setup.setup_id) this.shareBox.hidden = true;
      await this.refresh();
      text(this.status, `Links to “${setup.name}” revoked: they answer “not found” now.`);
    } catch (error) {
      this.showError(`Could not revoke links to “${setup.name}” — ${describeError(error)}`);
    }
  }

  /** One line of what went wrong (null: none), with a button that acts on it. */
  showError(message, action) {
    if (!message) {
      this.error.hidden = true;
      replace(this.error);
      return;
    }
    replace(this.error, message, action
      ? [' ', h('button', { type: 'button', class: 'link', id: 'setups-error-action', onclick: action.run }, action.label)]
      : null);
    this.error.hidden = false;
  }

  /** The page was opened by a share link (/?share=TOKEN): load its setup, no key needed, and
   * say whose light it is — or that the link is unknown or revoked. */
  async openShared() {
    const token = new URLSearchParams(location.search).get(SHARE_PARAM);
    if (!token) return;
    let notice;
    try {
      const shared = await this.api.json('GET', `/v1/shared/${enc(token)}`);
      this.load(shared.request, 'shared');
      notice = this.notices.show('info', `Opened the shared setup “${shared.name}” — a read-only link: your changes stay in this browser.`, { timeout: 0 });
      notice.dataset.state = 'open';
    } catch (error) {
      const gone = error instanceof ApiError && error.status === 404;
      notice = this.notices.show('error', gone
        ? 'This share link does not open a setup: it is unknown, or it was revoked.'
        : `Could not open the shared setup — ${describeError(error)}`);
      notice.dataset.state = gone ? 'revoked' : 'failed';
    }
    notice.id = 'shared-notice';
  }
}
