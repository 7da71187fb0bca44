// Where a setup comes from: a preset from the menu, words turned into lights by the server's
// translator (/v1/translate), which says what it understood, what it ignored and what it assumed
// that the words do not say (a light's place or power, the subject, the setting), or a reference
// photo whose light the server matches (/v1/match: each part with its confidence, and what a
// picture does not tell); the photo then stays beside the preview.

import { byId, h, replace, text } from './dom.js';
import { describeError } from './api.js';

export class SetupBar {
  constructor(store, api) {
    Object.assign(this, { store, api });
    this.presets = [];
    this.select = byId('preset-select');
    this.note = byId('preset-note');
    this.form = byId('describe-form');
    this.input = byId('describe-input');
    this.result = byId('describe-result');
    this.select.addEventListener('change', () => this.choose(this.select.value));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.describe(this.input.value.trim());
    });
    store.subscribe((change) => {
      if (change.scene) this.render();
    });
    // a reference photo: chosen with "Match photo" or dropped anywhere on the setup panel
    this.file = byId('match-file');
    this.file.addEventListener('change', () => {
      if (this.file.files.length) this.match(this.file.files[0]);
      this.file.value = '';
    });
    const panel = byId('setup');
    panel.addEventListener('dragover', (event) => {
      if (![...event.dataTransfer.types].includes('Files')) return;
      event.preventDefault();
      panel.classList.add('dropping');
    });
    panel.addEventListener('dragleave', () => panel.classList.remove('dropping'));
    panel.addEventListener('drop', (event) => {
      panel.classList.remove('dropping');
      const file = [...(event.dataTransfer.files || [])].find((f) => f.type.startsWith('image/'));
      if (!file) return;
      event.preventDefault();
      this.match(file);
    });
    this.reference = byId('preview-reference');
    this.referenceImage = byId('preview-reference-image');
    byId('preview-reference-close').addEventListener('click', () => { this.reference.hidden = true; });
  }

  /** Match `file`'s light: load the matched setup and show how each part was read. */
  async match(file) {
    const dataUrl = await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
    this.form.setAttribute('aria-busy', 'true');
    try {
      const answer = await this.api.match(dataUrl);
      const key = answer.request.lighting_setup.key ? 'key' : undefined;
      this.store.load(answer.request, { source: 'match', select: key });
      this.referenceImage.src = dataUrl;
      this.reference.hidden = false;
      const parts = Object.entries(answer.parts).map(([name, part]) => h('li', {},
        h('span', { class: 'part-name' }, name.replace('_', ' ')), ` ${part.how} `,
        h('span', { class: 'muted small confidence', 'data-confidence': String(part.confidence) },
          `confidence ${Math.round(part.confidence * 100)}%`)));
      this.showResult([
        h('div', { class: 'matched', id: 'match-result' },
          h('span', { class: 'muted small' }, `Matched ${file.name}`),
          h('button', { type: 'button', class: 'link', id: 'match-relight', title: 'Re-light this photo with the setup (edit the light first)', onclick: () => this.store.setPhoto({ name: file.name, dataUrl }) }, 'Re-light this photo'),
          h('ul', { class: 'match-parts', id: 'match-parts' }, ...parts),
          answer.notes.length ? h('ul', { class: 'assumed-list', id: 'match-notes' },
            ...answer.notes.map((note) => h('li', {}, `Not read: ${note}`))) : null),
      ]);
    } catch (error) {
      this.showResult([h('p', { class: 'field-error', role: 'alert' }, `Could not match that photo — ${describeError(error)}`)]);
    } finally {
      this.form.removeAttribute('aria-busy');
    }
  }

  setPresets(presets) {
    this.presets = presets;
    replace(this.select,
      h('option', { value: '', disabled: true }, 'Custom setup'),
      ...presets.map((p) => h('option', { value: p.name }, p.title)));
    this.render();
  }

  choose(name) {
    const preset = this.presets.find((p) => p.name === name);
    if (!preset) return;
    this.store.load(preset.request, { source: 'preset', preset: { name: preset.name, title: preset.title, description: preset.description } });
    this.result.hidden = true;
  }

  render() {
    const preset = this.store.preset;
    this.select.value = preset ? preset.name : '';
    text(this.note, preset ? preset.description : 'Custom setup — choose a preset or describe the light to start again.');
    this.note.title = this.note.textContent;
  }

  async describe(words) {
    if (!words) {
      this.showResult([h('p', { class: 'field-error' }, 'Describe the light first, e.g. “Rembrandt lighting, warm key from camera left”.')]);
      return;
    }
    const button = this.form.querySelector('button');
    button.disabled = true;
    this.form.setAttribute('aria-busy', 'true');
    try {
      const answer = await this.api.translate(words, this.store.request());
      const key = answer.request.lighting_setup.key ? 'key' : undefined;
      this.store.load(answer.request, { source: 'describe', select: key });
      this.store.setAnalysis(answer.analysis, this.store.version);
      // what the words leave open and the translator filled in (absent from an older server)
      const assumptions = Array.isArray(answer.assumptions) ? answer.assumptions : [];
      const chips = (items, cls) => items.map((w) => h('li', { class: `tag ${cls}` }, w));
      this.showResult([
        h('div', { class: 'understood' },
          h('span', { class: 'muted small' }, 'Understood'),
          answer.understood.length
            ? h('ul', { class: 'tags', id: 'understood-list' }, ...chips(answer.understood, 'tag-ok'))
            : h('span', { class: 'small' }, 'nothing — the setup is unchanged but for defaults')),
        answer.ignored.length ? h('div', { class: 'ignored' },
          h('span', { class: 'muted small' }, 'Ignored'),
          h('ul', { class: 'tags', id: 'ignored-list' }, ...chips(answer.ignored, 'tag-ignored'))) : null,
        assumptions.length ? h('div', { class: 'assumed' },
          h('span', { class: 'muted small' }, 'Assumed'),
          h('ul', { class: 'assumed-list', id: 'assumed-list' }, ...assumptions.map((w) => h('li', {}, w)))) : null,
        h('span', { class: 'muted small translator' }, `by the ${answer.translator} translator`),
      ]);
    } catch (error) {
      this.showResult([h('p', { class: 'field-error', role: 'alert' }, `Could not read that — ${describeError(error)}`)]);
    } finally {
      button.disabled = false;
      this.form.removeAttribute('aria-busy');
    }
  }

  showResult(children) {
    replace(this.result, ...children,
      h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Hide', title: 'Hide', onclick: () => { this.result.hidden = true; } }, '×'));
    this.result.hidden = false;
  }
}
