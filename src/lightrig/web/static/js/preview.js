// The live preview: the physically based bust lit by the current setup, re-rendered by the
// server a fraction of a second after every change. While a light is being dragged it asks for
// half the size (frames come back faster); the full size follows when the drag ends.

import { byId, text } from './dom.js';
import { describeError } from './api.js';
import { LiveRequest } from './live.js';

const MIN_SIZE = 128;
const MAX_SIZE = 512;

export class Preview {
  constructor(store, api) {
    this.store = store;
    this.api = api;
    this.image = byId('preview-image');
    this.stage = byId('preview-stage');
    this.status = byId('preview-status');
    this.caption = byId('preview-caption');
    this.error = byId('preview-error');
    this.url = null;
    this.interacting = false;
    this.failed = false;
    this.live = new LiveRequest({
      run: (signal) => this.render(signal),
      onBusy: (busy) => {
        this.stage.setAttribute('aria-busy', String(busy));
        text(this.status, busy ? 'Rendering…' : this.failed ? 'Not up to date' : 'Up to date');
      },
      onResult: (result, { ms }) => this.show(result, ms),
      onError: (error, { retryIn }) => this.fail(error, retryIn),
      onDiscard: (result) => URL.revokeObjectURL(result.url),
    });
    store.subscribe((change) => {
      if (change.scene) this.live.schedule();
    });
  }

  /** Full size: the stage's size in device pixels, in steps of 64, within 128–512. */
  size() {
    const box = this.stage.getBoundingClientRect();
    const px = Math.max(box.width, box.height, MIN_SIZE) * (window.devicePixelRatio || 1);
    const full = Math.min(MAX_SIZE, Math.max(MIN_SIZE, Math.ceil(px / 64) * 64));
    return this.interacting ? Math.max(MIN_SIZE, Math.round(full / 128) * 64) : full;
  }

  setInteracting(on) {
    this.interacting = on;
    if (!on) this.live.schedule(); // the full-size frame
  }

  async render(signal) {
    const version = this.store.version;
    const size = this.size();
    const blob = await this.api.preview(this.store.request(), size, signal);
    const url = URL.createObjectURL(blob);
    const probe = new Image();
    probe.src = url;
    try {
      await probe.decode(); // swap only a decoded frame: no flash of an empty image
    } catch {
      // a frame that cannot be decoded still replaces the old one; the browser says why
    }
    return { version, url, size };
  }

  show({ version, url, size }, ms) {
    const old = this.url;
    this.url = url;
    this.image.src = url;
    this.image.dataset.version = String(version);
    this.image.dataset.size = String(size);
    this.image.alt = `Preview render of the bust lit by the current setup (${size} pixels)`;
    this.failed = false;
    this.stage.classList.remove('has-error');
    this.error.hidden = true;
    text(this.caption, `${size} px · ${Math.round(ms)} ms · a light study, not the final picture`);
    if (old) URL.revokeObjectURL(old);
  }

  fail(error, retryIn) {
    this.failed = true;
    this.stage.classList.add('has-error');
    this.error.hidden = false;
    text(this.error, `Preview failed — ${describeError(error)}${retryIn ? ` Retrying in ${Math.ceil(retryIn)} s.` : ''}`);
    text(this.status, 'Not up to date');
  }
}
