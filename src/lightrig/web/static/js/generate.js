// Generating: the chosen backend and seed, a new image of the setup or a re-light of an earlier
// one. The preview backend answers at once (201); the others queue a job (202), which is polled
// until it finishes, with its progress shown. Before anything runs the panel says which backend
// will (the server's default when none is chosen), what an image costs there, and — for FIBO's
// hosts — whether it is set up and which settings set it up (GET /v1/backends). With the gate
// switched on, each image's light is read back and, below the bar, made again with a new seed;
// the job is followed until its gate stops, and the best attempt is shown.

import { byId, h, replace, text } from './dom.js';
import { describeError } from './api.js';
import { money, seconds, shortId, title } from './format.js';

const FINISHED = new Set(['success', 'error', 'interrupted']);
const MAX_SEED = 2 ** 31 - 1;
const KEEP_FINISHED = 1;
const MAX_ATTEMPTS = 10;

/** Whether a generation is done: finished, and its gate (if any) stopped. */
function done(record) {
  return FINISHED.has(record.status) && !(record.gate && record.gate.outcome === 'running');
}

export class GeneratePanel {
  constructor(store, api, notices, gallery) {
    Object.assign(this, { store, api, notices, gallery });
    this.backend = byId('gen-backend');
    this.model = byId('gen-model');
    this.seed = byId('gen-seed');
    this.gate = byId('gen-gate');
    this.bar = byId('gen-bar');
    this.attempts = byId('gen-attempts');
    this.gate.addEventListener('change', () => {
      this.bar.disabled = !this.gate.checked;
      this.attempts.disabled = !this.gate.checked;
    });
    this.button = byId('gen-button');
    this.jobs = byId('gen-jobs');
    this.banner = byId('relight-banner');
    this.error = byId('gen-error');
    this.active = new Map();
    byId('gen-dice').addEventListener('click', () => {
      this.seed.value = String(Math.floor(Math.random() * MAX_SEED));
    });
    byId('gen-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.generate();
    });
    byId('relight-cancel').addEventListener('click', () => store.setRelight(null));
    // a photograph to re-light with the setup (FIBO-Edit, POST /v1/relights)
    this.photoBanner = byId('photo-banner');
    const file = byId('photo-file');
    file.addEventListener('change', async () => {
      if (file.files.length) await this.usePhoto(file.files[0]);
      file.value = '';
    });
    byId('photo-cancel').addEventListener('click', () => store.setPhoto(null));
    this.heading = byId('h-generate');
    this.info = null;
    this.loading = null;
    this.note = h('div', { id: 'gen-backend-note', class: 'gen-note', 'aria-live': 'polite' });
    this.hosts = h('details', { id: 'gen-hosts', class: 'gen-hosts', hidden: true });
    this.error.before(this.note, this.hosts);
    this.backend.setAttribute('aria-describedby', 'gen-backend-note');
    this.backend.addEventListener('change', () => this.renderBackend());
    this.model.setAttribute('aria-describedby', 'gen-backend-note');
    store.subscribe((change) => {
      if (change.relight) this.renderRelight();
    });
    this.renderRelight();
  }

  setBackends(names) {
    this.names = names;
    this.renderOptions();
    this.loadBackends();
  }

  /** What the server says of its backends: its default, prices and which are set up. */
  async loadBackends() {
    if (this.loading) return this.loading;
    this.loading = this.api.json('GET', '/v1/backends').then((info) => {
      this.info = info;
      this.problem = null;
    }, (error) => {
      this.problem = error.status === 401
        ? 'Set your API key to see which backend will run and what it costs.'
        : `Which backend will run is unknown — ${describeError(error)}`;
    }).finally(() => {
      this.loading = null;
      this.renderOptions();
    });
    return this.loading;
  }

  /** One backend's price in words. */
  static price(b) {
    return b.price_usd > 0 ? `${money(b.price_usd)} an image` : 'free';
  }

  renderOptions() {
    const names = this.names || [];
    const chosen = this.backend.value;
    const about = (name) => this.info?.backends.find((b) => b.name === name);
    const label = (name) => {
      const b = about(name);
      if (!b) return name === 'preview' ? 'preview (instant, free)' : name;
      const price = b.price_usd > 0 ? money(b.price_usd) : 'free';
      return `${name} · ${price}${b.configured ? '' : ' (not set up)'}`;
    };
    const fallback = this.info ? `Server default: ${this.info.default}` : 'Server default';
    replace(this.backend, h('option', { value: '' }, fallback),
      ...names.map((n) => h('option', { value: n }, label(n))));
    if (names.includes(chosen)) this.backend.value = chosen;
    this.renderBackend();
  }

  /** The FIBO models the chosen backend serves (GET /v1/backends), each with its price; the
   *  server's default model when none is chosen. A model the backend does not serve is not
   *  offered (the server would refuse it: 422 on body.model). */
  renderModels(b) {
    const chosen = this.model.value;
    const models = b?.models || [];
    const fallback = models.find((m) => m.default);
    const label = (m) => `${m.title} · ${m.price_usd > 0 ? money(m.price_usd) : 'free'}`;
    replace(this.model,
      h('option', { value: '' }, fallback ? `Server default: ${label(fallback)}` : 'Server default'),
      ...models.map((m) => h('option', { value: m.name, title: m.description }, label(m))));
    if (models.some((m) => m.name === chosen)) this.model.value = chosen;
  }

  /** The note under the form: which backend runs, what it is, what it costs, how it answers;
   *  a warning when it is not set up; and how to set up FIBO's hosts. */
  renderBackend() {
    const info = this.info;
    if (!info) {
      this.renderModels(null);
      replace(this.note, this.problem ? h('p', {}, this.problem) : null);
      this.hosts.hidden = true;
      text(this.heading, 'Generate');
      return;
    }
    const name = this.backend.value || info.default;
    const b = info.backends.find((x) => x.name === name);
    this.renderModels(b);
    if (!b) {
      replace(this.note, h('p', {}, `Runs on ${name}.`));
      return;
    }
    this.note.dataset.backend = b.name;
    this.note.dataset.price = String(b.price_usd);
    text(this.heading, b.name === 'preview' ? 'Generate (preview, not FIBO)' : `Generate on FIBO (${b.name})`);
    replace(this.note,
      h('p', { class: 'gen-runs' },
        h('b', {}, `Runs on ${b.name}`), this.backend.value ? '' : ' (the server\'s default)',
        ` — ${b.description} · ${GeneratePanel.price(b)} · ${b.background ? 'queued as a job' : 'answers at once'}.`),
      b.configured ? null : h('p', { class: 'gen-unset', role: 'status' }, `${b.name} is not set up on this server: ${b.setup}.`));
    const fibo = info.backends.filter((x) => x.name !== 'preview');
    replace(this.hosts,
      h('summary', {}, 'FIBO hosts: how to set them up'),
      h('p', {}, 'The server reads these settings from its environment or .env at start; images on a host cost what it charges.'),
      h('ul', {}, ...fibo.map((x) => h('li', { 'data-backend': x.name },
        h('b', {}, x.name), ` — ${x.description} · ${GeneratePanel.price(x)} · `,
        x.configured ? h('span', { class: 'gen-set' }, 'set up') : h('span', { class: 'gen-unset' }, `not set up: ${x.setup}`),
        x.settings.length ? h('span', { class: 'gen-settings' }, ' · settings: ', ...x.settings.flatMap((s, i) => [i ? ', ' : '', h('code', {}, s)])) : null))),
      h('p', {}, 'LIGHTRIG_BACKEND picks the default; LIGHTRIG_PRICES_USD the prices shown.'));
    this.hosts.hidden = false;
  }

  /** Re-light `file` (a photograph) with the setup when Generate is pressed. */
  async usePhoto(file) {
    const dataUrl = await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
    this.store.setPhoto({ name: file.name, dataUrl });
  }

  renderRelight() {
    const record = this.store.relight;
    const photo = this.store.photo;
    this.banner.hidden = !record;
    this.photoBanner.hidden = !photo;
    if (photo) {
      byId('photo-thumb').src = photo.dataUrl;
      text(byId('photo-text'), `Re-lighting the photo ${photo.name}: FIBO-Edit makes it again under this setup's light, and the result is checked against it.`);
    }
    text(this.button, record ? 'Re-light' : photo ? 'Re-light photo' : 'Generate');
    // a re-light keeps the earlier picture's seed: the seed box has no say then
    this.seed.disabled = Boolean(record);
    this.seed.placeholder = record ? `kept: ${record.seed}` : 'random';
    if (record) {
      const names = record.analysis ? record.analysis.pattern_names.map(title).join(' · ') : '';
      text(byId('relight-text'), `Re-lighting ${shortId(record.generation_id)}${names ? ` (${names})` : ''}: same picture, seed ${record.seed} and camera — only the light changes.`);
      if (record.backend) this.backend.value = record.backend;
      this.renderBackend();
    }
  }

  readSeed() {
    const raw = this.seed.value.trim();
    if (!raw) return { seed: undefined };
    const seed = Number(raw);
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
      return { problem: `The seed must be a whole number from 0 to ${MAX_SEED}, or empty for a random one.` };
    }
    return { seed };
  }

  /** The gate asked for: none when switched off; else the bar and the attempts, checked. */
  readGate() {
    if (!this.gate.checked) return { gate: undefined };
    const bar = Number(this.bar.value.trim());
    if (!this.bar.value.trim() || !(bar >= 0 && bar <= 1)) {
      return { problem: 'The adherence bar must be a number from 0 to 1.', field: this.bar };
    }
    const attempts = Number(this.attempts.value.trim());
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > MAX_ATTEMPTS) {
      return { problem: `The attempts must be a whole number from 1 to ${MAX_ATTEMPTS}.`, field: this.attempts };
    }
    return { gate: { min_adherence: bar, max_attempts: attempts } };
  }

  async generate() {
    const { seed, problem } = this.readSeed();
    if (problem) {
      text(this.error, problem);
      this.error.hidden = false;
      this.seed.focus();
      return;
    }
    const { gate, problem: gateProblem, field } = this.readGate();
    if (gateProblem) {
      text(this.error, gateProblem);
      this.error.hidden = false;
      field.focus();
      return;
    }
    this.error.hidden = true;
    const backend = this.backend.value || undefined;
    const model = this.model.value || undefined;
    const relight = this.store.relight;
    const photo = this.store.photo;
    const request = this.store.request();
    this.button.disabled = true;
    this.button.setAttribute('aria-busy', 'true');
    try {
      let record;
      if (relight) record = await this.api.refine(relight.generation_id, { lighting_setup: request.lighting_setup, backend, model, gate });
      else if (photo) record = await this.api.relightPhoto({ image: photo.dataUrl, request, seed, backend, model, gate });
      else record = await this.api.createGeneration({ request, seed, backend, model, gate });
      this.track(record);
    } catch (error) {
      text(this.error, `${relight || photo ? 'Re-light' : 'Generation'} failed — ${describeError(error)}`);
      this.error.hidden = false;
    } finally {
      this.button.disabled = false;
      this.button.removeAttribute('aria-busy');
    }
  }

  /** Show a generation's progress here and in the gallery, polling it until it finishes. */
  track(record) {
    const started = performance.now();
    const row = h('li', { class: 'job', 'data-id': record.generation_id });
    this.jobs.prepend(row);
    this.prune();
    const job = { id: record.generation_id, record, row, started };
    this.active.set(record.generation_id, job);
    this.update(job, record);
    if (!done(record)) this.poll(job);
  }

  /** Keep every job in progress and the latest finished one. */
  prune() {
    let finished = 0;
    for (const row of [...this.jobs.children]) {
      if (!FINISHED.has(row.dataset.status)) continue;
      finished += 1;
      if (finished > KEEP_FINISHED) row.remove();
    }
  }

  async poll(job) {
    let delay = 800;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 1.5, 4000);
      try {
        let record = await this.api.generation(job.id);
        if (done(record) && record.gate && record.gate.best_id && record.gate.best_id !== record.generation_id) {
          record = await this.api.generation(record.gate.best_id); // the gate's best attempt
        }
        this.update(job, record);
        if (done(record)) return;
      } catch (error) {
        job.row.classList.add('job-error');
        replace(job.row, h('p', {}, `Lost track of ${shortId(job.record.generation_id)} — ${describeError(error)}`));
        if (error.status === 404 || error.status === 401) return;
        delay = 4000;
      }
    }
  }

  update(job, record) {
    job.record = record;
    this.gallery.upsert(record, { top: true });
    const id = shortId(record.generation_id);
    const elapsed = (performance.now() - job.started) / 1000;
    const gated = record.gate;
    const status = done(record) || !gated ? record.status : 'running';
    job.row.className = `job job-${status}`;
    job.row.dataset.status = status;
    const gateNote = gated
      ? ` · gate ${gated.outcome.replace('_', ' ')} after ${gated.attempts_used} of ${gated.policy.max_attempts} (${money(gated.cost_usd)})`
      : '';
    if (status === 'success') {
      const thumb = h('img', { class: 'job-thumb', alt: '' });
      this.gallery.imageUrl(record).then((url) => { if (url) thumb.src = url; });
      replace(job.row, thumb,
        h('div', {},
          h('p', { class: 'job-title' }, `${record.source ? 'Re-lit photo' : record.parent_id ? 'Re-lit' : 'Generated'} ${id} on ${record.backend}`),
          h('p', { class: 'job-meta' }, `seed ${record.seed} · ${money(record.cost_usd)} · ${seconds(record.duration_s)}${gateNote}`)),
        h('div', { class: 'job-actions' },
          h('button', { type: 'button', class: 'link', onclick: () => this.gallery.reveal(record.generation_id) }, 'Open'),
          h('button', { type: 'button', class: 'link', title: `Use seed ${record.seed} for the next generation`, onclick: () => { this.seed.value = String(record.seed); this.seed.focus(); } }, 'Reuse seed')));
      this.active.delete(job.id);
      this.prune();
      return;
    }
    if (status === 'error' || status === 'interrupted') {
      replace(job.row, h('p', { role: 'alert' }, `${id} ${record.status === 'error' ? 'failed' : 'was interrupted'}: ${record.error || 'no reason given'}`));
      this.active.delete(job.id);
      this.prune();
      return;
    }
    replace(job.row,
      h('div', { class: 'job-progress', role: 'progressbar', 'aria-label': `Generation ${id}`, 'aria-valuetext': record.status }, h('span', {})),
      h('p', { class: 'job-meta' }, `${title(status)} on ${record.backend || 'the server'} · ${seconds(elapsed)}${gated ? ` · attempt ${gated.attempts_used} of ${gated.policy.max_attempts}` : ''}`));
  }
}
