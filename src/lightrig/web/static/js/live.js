// Keeps a view in step with the scene without flooding the server.
//
// Normally a change is debounced for `delay` ms; requests start at most every `interval` ms
// (stretched to 1.2× the last answer's latency, at most 1.5 s); starting a request aborts the one
// in flight, whose answer could only show an older scene.
//
// While `streaming` (a light being dragged) there is no debounce and no abort: one request is in
// flight at a time and the next starts the moment it lands, if the scene changed meanwhile — as
// many answers a second as the server gives, none of them thrown away half rendered.
//
// A 429 waits out Retry-After. When the server cannot be reached, or answers that it is down or
// busy (502, 503, 504), the request is tried again — after 0.5 s, then twice as long each time,
// at most 5 s apart (or after Retry-After) — until it succeeds: a server that comes back brings
// the view up to date without the user doing anything.

import { isAbort, NetworkError } from './api.js';

const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 5000;
const DOWN = new Set([502, 503, 504]);

/** Whether `error` says the server is away or busy for now (worth asking again). */
export function isTransient(error) {
  return error instanceof NetworkError || DOWN.has(error && error.status);
}

export class LiveRequest {
  /**
   * run(signal) → Promise of a result (read the state when called: it is the latest).
   * onBusy(busy), onResult(result, {ms}), onError(error, {retryIn}), onDiscard(result).
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
    this.streaming = false;
    this.retryMs = RETRY_FIRST_MS;
  }

  /** The state changed: fetch a fresh result soon. */
  schedule() {
    this.pending = true;
    this.setBusy(true);
    if (this.timer) return;
    if (this.streaming) {
      if (!this.controller) this.fire(); // else: the answer in flight starts the next one
      return;
    }
    const wait = Math.max(this.delay, this.lastStart + this.interval - performance.now());
    this.timer = setTimeout(() => this.fire(), wait);
  }

  /** Fetch now (a reload, a new API key, the end of a drag). */
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
    clearTimeout(this.timer);
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
        this.retryMs = RETRY_FIRST_MS;
        this.controller = null;
        this.onResult(result, { ms });
        if (this.streaming && this.pending && !this.timer) this.fire();
        else this.settle();
      },
      (error) => {
        if (isAbort(error) || ticket !== this.ticket) return;
        this.controller = null;
        if (error.status === 429 || isTransient(error)) {
          // over the rate limit, or the server away or busy: say so, and ask again
          const wait = error.retryAfter ? 1000 * error.retryAfter : this.backoff(error);
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

  /** How long to wait before asking again (ms): doubling from 0.5 s, at most 5 s. */
  backoff(error) {
    if (error.status === 429) return 2000;
    const wait = this.retryMs;
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
    return wait;
  }

  settle() {
    if (!this.timer && !this.pending && !this.controller) this.setBusy(false);
  }
}
