// Keeps a view in step with the scene without flooding the server: a change is debounced for
// `delay` ms; requests start at most every `interval` ms (stretched to 1.2× the last answer's
// latency, so a slow server still shows frames during a drag); starting a request aborts the
// one in flight, whose answer could only show an older scene; and a 429 waits out Retry-After.

import { isAbort } from './api.js';

export class LiveRequest {
  /**
   * run(signal) → Promise of a result (read the state when called: it is the latest).
   * onBusy(busy), onResult(result, {ms}), onError(error), onDiscard(result).
   */
  constructor({ run, delay = 70, interval = 250, onBusy, onResult, onError, onDiscard }) {
    Object.assign(this, { run, delay, onBusy, onResult, onError, onDiscard });
    this.minInterval = interval;
    this.interval = interval;
    this.timer = null;
    this.pending = false;
    this.controller = null;
    this.ticket = 0;
    this.lastStart = -Infinity;
    this.busy = false;
  }

  /** The state changed: fetch a fresh result soon. */
  schedule() {
    this.pending = true;
    this.setBusy(true);
    if (this.timer) return;
    const wait = Math.max(this.delay, this.lastStart + this.interval - performance.now());
    this.timer = setTimeout(() => this.fire(), wait);
  }

  /** Fetch now (a reload, a new API key). */
  now() {
    clearTimeout(this.timer);
    this.timer = null;
    this.pending = true;
    this.fire();
  }

  setBusy(busy) {
    if (busy === this.busy) return;
    this.busy = busy;
    if (this.onBusy) this.onBusy(busy);
  }

  fire() {
    this.timer = null;
    if (!this.pending) return;
    this.pending = false;
    if (this.controller) this.controller.abort(); // stale: a newer scene exists
    const controller = new AbortController();
    this.controller = controller;
    const ticket = ++this.ticket;
    const started = performance.now();
    this.lastStart = started;
    this.setBusy(true);
    this.run(controller.signal).then(
      (result) => {
        if (ticket !== this.ticket) {
          if (this.onDiscard) this.onDiscard(result);
          return;
        }
        const ms = performance.now() - started;
        this.interval = Math.min(Math.max(this.minInterval, 1.2 * ms), 1500);
        this.controller = null;
        this.onResult(result, { ms });
        this.settle();
      },
      (error) => {
        if (isAbort(error) || ticket !== this.ticket) return;
        this.controller = null;
        if (error.status === 429) {
          // over the per-user rate limit: say so, and try again when the server allows
          const wait = 1000 * (error.retryAfter || 2);
          this.onError(error, { retryIn: wait / 1000 });
          this.pending = true;
          clearTimeout(this.timer);
          this.timer = setTimeout(() => this.fire(), wait);
          return;
        }
        this.onError(error, {});
        this.settle();
      },
    );
  }

  settle() {
    if (!this.timer && !this.pending && !this.controller) this.setBusy(false);
  }
}
