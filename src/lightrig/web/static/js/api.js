// The lightrig REST API client. Every call goes through request(): the API key (when the user
// has set one) rides in the Authorization header, and an error answer — RFC 9457
// application/problem+json — becomes an ApiError whose words the page shows as they are.

const KEY_STORAGE = 'lightrig.apiKey';

/** An answer that was not a success, with the server's explanation. */
export class ApiError extends Error {
  constructor(status, problem, { retryAfter = null, path = '' } = {}) {
    const title = problem.title || `HTTP ${status}`;
    super(problem.detail ? `${title}: ${String(problem.detail).replace(/^body: /, '')}` : title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    // the server prefixes a whole-body problem with "body: "; the words after it are the point
    this.detail = String(problem.detail || '').replace(/^body: /, '');
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.requestId = problem.request_id || null;
    this.retryAfter = retryAfter;
    this.path = path;
  }
}

/** The server could not be reached at all. */
export class NetworkError extends Error {
  constructor(cause) {
    super('cannot reach the lightrig server');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

/** "body.lighting_setup.key.intensity" → "key light › intensity". */
export function fieldName(loc) {
  const parts = String(loc).split('.').filter((p) => p !== 'body');
  if (parts[0] === 'lighting_setup' && parts.length > 1) {
    return [`${parts[1]} light`, ...parts.slice(2)].join(' › ').replaceAll('_', ' ');
  }
  if (parts[0] === 'camera_settings') parts[0] = 'camera';
  return parts.join(' › ').replaceAll('_', ' ') || 'request';
}

/** One sentence a person can act on, for any error this client raises. */
export function describeError(error) {
  if (error instanceof ApiError) {
    const lead = `${error.title} (${error.status})`;
    if (error.errors.length > 1) {
      const fields = error.errors.map((e) => `${fieldName(e.loc)}: ${e.message}`);
      return `${lead}: ${fields.join('; ')}`;
    }
    if (error.errors.length === 1 && error.errors[0].loc !== 'body') {
      return `${lead}: ${fieldName(error.errors[0].loc)}: ${error.errors[0].message}`;
    }
    let words = error.detail ? `${lead}: ${error.detail}` : lead;
    if (error.status === 401) words += ' — set your key under “API key” (top right).';
    return words;
  }
  if (error instanceof NetworkError) {
    return `Cannot reach the lightrig server at ${location.origin}: is it running?`;
  }
  return error && error.message ? error.message : String(error);
}

export function isAbort(error) {
  return error && error.name === 'AbortError';
}

export class ApiClient {
  constructor(base = '') {
    this.base = base;
    /** Called with every ApiError of status 401, so the page can ask for a key. */
    this.onUnauthorized = null;
  }

  get key() {
    return localStorage.getItem(KEY_STORAGE) || '';
  }

  setKey(key) {
    if (key) localStorage.setItem(KEY_STORAGE, key.trim());
    else localStorage.removeItem(KEY_STORAGE);
  }

  headers(extra = {}) {
    const headers = { ...extra };
    if (this.key) headers.Authorization = `Bearer ${this.key}`;
    return headers;
  }

  /** The Response of a successful call; throws ApiError, NetworkError or AbortError. */
  async request(method, path, { json, query, signal, accept = 'application/json' } = {}) {
    let url = this.base + path;
    if (query) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) params.set(k, v);
      const qs = params.toString();
      if (qs) url += `?${qs}`;
    }
    const init = { method, signal, headers: this.headers({ Accept: accept }) };
    if (json !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(json);
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new NetworkError(error);
    }
    if (response.ok) return response;
    let problem = {};
    try {
      const type = response.headers.get('content-type') || '';
      problem = type.includes('json') ? await response.json() : { detail: await response.text() };
    } catch {
      problem = {};
    }
    const retry = Number(response.headers.get('retry-after'));
    const error = new ApiError(response.status, problem, {
      retryAfter: Number.isFinite(retry) && retry > 0 ? retry : null,
      path,
    });
    if (error.status === 401 && this.onUnauthorized) this.onUnauthorized(error);
    throw error;
  }

  async json(method, path, options) {
    const response = await this.request(method, path, options);
    return response.status === 204 ? null : response.json();
  }

  async blob(method, path, options) {
    const response = await this.request(method, path, { accept: '*/*', ...options });
    return response.blob();
  }

  // --- designing light
  openapi() { return this.json('GET', '/openapi.json'); }
  /** The vocabulary and the diagram's conventions (no key needed; revalidated by its ETag). */
  conventions() { return this.json('GET', '/v1/conventions'); }
  presets() { return this.json('GET', '/v1/presets'); }
  analyze(request, signal) { return this.json('POST', '/v1/analyze', { json: request, signal }); }
  prompt(request) { return this.json('POST', '/v1/prompt', { json: request }); }
  preview(request, size, signal) {
    return this.blob('POST', '/v1/preview', { json: request, query: { size }, signal });
  }
  /** A preview frame with what its headers say: the exposure (stops) and, with `probes`, the
   * ratio read between the analyzer's probes on the render (stops; null when unreadable). */
  async previewFrame(request, size, { probes = false, signal } = {}) {
    const response = await this.request('POST', '/v1/preview', {
      json: request, query: { size, probes: probes ? 'true' : undefined }, signal, accept: 'image/png',
    });
    const number = (name) => {
      const value = response.headers.get(name);
      return value === null || value === 'none' ? null : Number(value);
    };
    return {
      blob: await response.blob(),
      exposure: number('X-Lightrig-Exposure-Stops'),
      probeStops: number('X-Lightrig-Probe-Ratio-Stops'),
    };
  }
  diagram(request) { return this.blob('POST', '/v1/diagram', { json: request }); }
  /** The lighting plot, one A4 page (PDF). */
  plot(request) { return this.blob('POST', '/v1/plot', { json: request, accept: 'application/pdf' }); }
  translate(text, base) { return this.json('POST', '/v1/translate', { json: { text, base } }); }
  /** The setup that reproduces a picture's light (`image`: base64 or a data: URL). */
  match(image) { return this.json('POST', '/v1/match', { json: { image } }); }

  // --- generations (every one belongs to the user whose key asked for it)
  createGeneration(body) { return this.json('POST', '/v1/generations', { json: body }); }
  /** A photograph re-lit by FIBO-Edit: `{image, request, backend, seed}` (image: a data: URL). */
  relightPhoto(body) { return this.json('POST', '/v1/relights', { json: body }); }
  refine(id, body) {
    return this.json('POST', `/v1/generations/${encodeURIComponent(id)}/refine`, { json: body });
  }
  generation(id, signal) {
    return this.json('GET', `/v1/generations/${encodeURIComponent(id)}`, { signal });
  }
  generations({ limit = 24, before } = {}) {
    return this.json('GET', '/v1/generations', { query: { limit, before } });
  }
  /** Images are owner-only: fetched with the key, never by a plain <img src>. */
  image(id) { return this.blob('GET', `/v1/generations/${encodeURIComponent(id)}/image`); }
  /** The photograph a relight edits (owner-only, like images). */
  source(id) { return this.blob('GET', `/v1/generations/${encodeURIComponent(id)}/source`); }
  batchCounts(id) {
    return this.json('GET', `/v1/batches/${encodeURIComponent(id)}`, { query: { items: 'false' } });
  }
  deleteGeneration(id) {
    return this.json('DELETE', `/v1/generations/${encodeURIComponent(id)}`);
  }
}
