// The live preview: the physically based bust lit by the current setup, rendered by the server
// at the size the stage is drawn in device pixels (its CSS size × devicePixelRatio), so the
// picture is sharp on a 2× screen and grows with the window.
//
// Progressive while the scene is being changed live (a light dragged, a slider moving, an arrow
// key held): frames come back at a low resolution, one request in flight at a time, the next
// one sent the moment the last lands — as many frames a second as the server can render. When
// the change rests (no new value for REST_MS) or ends (the pointer or key is released) the full
// resolution is asked for at once, without a debounce; a full frame already asked for the same
// scene is not asked for again. A frame that cannot be had because the server is down is asked
// for again until it comes back (live.js).

import { byId, text } from './dom.js';
import { describeError } from './api.js';
import { LiveRequest } from './live.js';
import { stopsText } from './format.js';

/** The smallest and largest side the page asks for, in pixels (the API takes 64–1024). */
export const MIN_SIZE = 64;
export const MAX_SIZE = 1024;
/** The sides a low-resolution frame may have (pixels); it starts at LOW_SIZE and moves one
 * step between live changes: down when the last change's frames took over SLOW_MS (median),
 * up when under FAST_MS — about 10–20 frames a second whatever the machine. It never moves
 * during a change, and there are few steps: each size is a geometry pass the server makes
 * and keeps (it keeps eight). */
export const LOW_SIZES = [128, 192, 256];
export const LOW_SIZE = 192;
const SLOW_MS = 85;
const FAST_MS = 40;
/** A live change that stops this long (ms) without ending gets its full frame. */
export const REST_MS = 250;

export class Preview {
  constructor(store, api) {
    this.store = store;
    this.api = api;
    this.image = byId('preview-image');
    this.stage = byId('preview-stage');
    this.status = byId('preview-status');
    this.caption = byId('preview-caption');
    this.error = byId('preview-error');
    /** "Probes": outline the analyzer's lit and shadow probes and read their ratio. */
    this.probes = byId('preview-probes');
    this.probes.addEventListener('change', () => {
      this.shownFull = -1;
      this.askedFull = -1;
      this.live.now();
    });
    this.url = null;
    /** Settles when the first answer, a picture or an error, has come. */
    this.answered = new Promise((settle) => { this.settleAnswered = settle; });
    this.interacting = false; // a pointer drag in the diagram
    this.failed = false;
    /** The scene version of the full frame shown, and of the one asked for. */
    this.shownFull = -1;
    this.askedFull = -1;
    this.restTimer = null;
    this.lowSide = LOW_SIZE;
    this.lowTimes = []; // ms of this live change's low frames
    this.live = new LiveRequest({
      run: (signal) => this.render(signal),
      delay: 30,
      interval: 0,
      onBusy: (busy) => {
        this.stage.setAttribute('aria-busy', String(busy));
        text(this.status, busy ? 'Rendering…' : this.failed ? 'Not up to date' : 'Up to date');
      },
      onResult: (result, { ms }) => this.show(result, ms),
      onError: (error, { retryIn }) => this.fail(error, retryIn),
      onDiscard: (result) => URL.revokeObjectURL(result.url),
    });
    store.subscribe((change) => {
      if (change.scene) this.changed();
      if (change.liveEnd) this.settle();
    });
    // the stage changes size with the window (and the device pixel ratio with the screen)
    this.lastFull = 0;
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(() => this.resized()).observe(this.stage);
    }
    window.addEventListener('resize', () => this.resized());
  }

  /** Whether the scene is being changed live (a drag, a slider moving, a key held). */
  get streaming() {
    return this.interacting || this.store.coalescing;
  }

  /** The full size: the stage's side in device pixels, within MIN_SIZE–MAX_SIZE. */
  fullSize() {
    const box = this.stage.getBoundingClientRect();
    const px = Math.round(Math.max(box.width, box.height) * (window.devicePixelRatio || 1));
    return Math.min(MAX_SIZE, Math.max(MIN_SIZE, px));
  }

  /** A low-resolution frame's side: the full size, at most the low side of the moment. */
  lowSize() {
    return Math.min(this.fullSize(), this.lowSide);
  }

  /** Between live changes: the low side one step down if the last change's frames were slow,
   * one step up if they were fast. */
  adaptLow() {
    const times = this.lowTimes.sort((a, b) => a - b);
    this.lowTimes = [];
    if (times.length < 3) return;
    const median = times[Math.floor(times.length / 2)];
    const at = LOW_SIZES.indexOf(this.lowSide);
    if (median > SLOW_MS && at > 0) this.lowSide = LOW_SIZES[at - 1];
    else if (median < FAST_MS && at < LOW_SIZES.length - 1) this.lowSide = LOW_SIZES[at + 1];
  }

  changed() {
    clearTimeout(this.restTimer);
    if (this.streaming) {
      this.live.streaming = true;
      this.live.schedule();
      this.restTimer = setTimeout(() => this.rested(), REST_MS);
    } else {
      this.live.streaming = false;
      this.live.schedule();
    }
  }

  /** The live change paused: ask for the full frame of what is there now. */
  rested() {
    this.restTimer = null;
    if (this.wantsFull()) this.full();
  }

  /** Whether the current scene's full frame is neither shown nor on its way. */
  wantsFull() {
    const version = this.store.version;
    return this.shownFull !== version && this.askedFull !== version;
  }

  full() {
    this.live.streaming = false;
    this.live.now();
  }

  /** A drag in the diagram starts (true) or ends (false). */
  setInteracting(on) {
    this.interacting = on;
    if (!on) this.settle();
  }

  /** A live change ended: the full frame now, unless it is shown or on its way. */
  settle() {
    if (this.streaming) return;
    clearTimeout(this.restTimer);
    this.restTimer = null;
    this.live.streaming = false;
    this.adaptLow();
    if (this.wantsFull()) this.live.now();
  }

  resized() {
    const size = this.fullSize();
    if (size === this.lastFull) return;
    this.lastFull = size;
    if (this.shownFull >= 0 && !this.streaming) {
      this.shownFull = -1; // the frame shown is the wrong size now
      this.askedFull = -1;
      this.live.schedule();
    }
  }

  async render(signal) {
    const version = this.store.version;
    const low = this.live.streaming && this.shownFull >= 0;
    const size = low ? this.lowSize() : this.fullSize();
    if (!low) this.askedFull = version;
    try {
      const probes = this.probes.checked;
      const frame = await this.api.previewFrame(this.store.request(), size, { probes, signal });
      const url = URL.createObjectURL(frame.blob);
      const probe = new Image();
      probe.src = url;
      try {
        await probe.decode(); // swap only a decoded frame: no flash of an empty image
      } catch {
        // a frame that cannot be decoded still replaces the old one; the browser says why
      }
      return { version, url, size, low, exposure: frame.exposure, probes, probeStops: frame.probeStops };
    } catch (error) {
      if (!low && this.askedFull === version) this.askedFull = -1;
      throw error;
    }
  }

  show({ version, url, size, low, exposure, probes, probeStops }, ms) {
    const old = this.url;
    this.url = url;
    this.image.src = url;
    this.image.dataset.resolution = low ? 'low' : 'full';
    this.image.dataset.frameVersion = String(version);
    this.image.dataset.size = String(size);
    if (!low) {
      // the version of the full frame: what "the preview shows the scene" waits for
      this.shownFull = version;
      this.image.dataset.version = String(version);
    }
    this.image.alt = `Preview render of the bust lit by the current setup (${size} pixels)`;
    this.failed = false;
    this.stage.classList.remove('has-error');
    this.error.hidden = true;
    if (low) this.lowTimes.push(ms);
    const what = low ? 'draft' : 'a light study, not the final picture';
    const parts = [`${size} px`, `${Math.round(ms)} ms`];
    if (exposure !== null) parts.push(`exposure ${stopsText(exposure)}`);
    if (probes) {
      parts.push(probeStops === null
        ? 'probes: too little skin faces them'
        : `probes ${probeStops.toFixed(1)} stops apart on the render`);
    }
    text(this.caption, `${parts.join(' · ')} · ${what}`);
    this.image.dataset.exposure = exposure === null ? '' : String(exposure);
    this.image.dataset.probeStops = probes && probeStops !== null ? String(probeStops) : '';
    if (old) URL.revokeObjectURL(old);
    this.settleAnswered();
    // a low frame of a scene that has stopped changing is followed by its full frame
    if (low && !this.streaming && this.wantsFull() && !this.live.pending) this.full();
  }

  fail(error, retryIn) {
    this.settleAnswered();
    this.failed = true;
    this.stage.classList.add('has-error');
    this.error.hidden = false;
    const retry = retryIn ? ` Retrying in ${Math.ceil(retryIn)} s.` : '';
    text(this.error, `Preview failed — ${describeError(error)}${retry}`);
    text(this.status, 'Not up to date');
  }
}
