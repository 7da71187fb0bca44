// The gallery of the user's generations, newest first: each with its image, how well the image
// follows the light asked for, the setup that lit it, its analysis and cost, and what to do next
// — re-light it, download the image, the FIBO structured prompt or the lighting diagram, or
// delete it. A re-lit image is shown over its original with a before/after slider. A generation can also be opened by its id; another user's is refused by the server
// (404), and the page says so.

import { byId, h, replace, text } from './dom.js';
import { adherenceBadge, adherenceDetails } from './adherence.js';
import { describeError } from './api.js';
import { extensionOf, saveBlob, saveJson } from './downloads.js';
import {
  NO_FILL, azimuthText, cmText, contrastText, distanceText, elevationText, kelvinText, money,
  percentText, seconds, shortId, title, when,
} from './format.js';

const PAGE = 12;
/** Statuses of work still in hand, whose cards are followed until they finish. */
const PENDING = new Set(['queued', 'running', 'retrying']);
/** How often pending work is looked at again (ms). */
const FOLLOW_MS = 2000;

export class Gallery {
  constructor(store, api, notices, { onRelight, onCount }) {
    Object.assign(this, { store, api, notices, onRelight, onCount });
    this.grid = byId('gallery-grid');
    this.more = byId('gallery-more');
    this.empty = byId('gallery-empty');
    this.status = byId('gallery-status');
    this.batchList = byId('gallery-batches');
    this.batchIds = new Set();
    this.followTimer = null;
    this.openError = byId('open-error');
    this.cards = new Map();
    this.images = new Map();
    this.nextBefore = null;
    this.loaded = false;
    this.more.addEventListener('click', () => this.load());
    byId('gallery-refresh').addEventListener('click', () => this.load({ reset: true }));
    byId('open-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.openById(byId('open-id').value.trim());
    });
  }

  async load({ reset = false } = {}) {
    if (reset) {
      this.nextBefore = null;
      for (const id of [...this.cards.keys()]) this.forget(id);
    }
    text(this.status, 'Loading…');
    try {
      const page = await this.api.generations({ limit: PAGE, before: this.nextBefore || undefined });
      for (const record of page.items) this.upsert(record);
      this.nextBefore = page.next_before;
      this.loaded = true;
      text(this.status, '');
      this.followPending();
    } catch (error) {
      text(this.status, `Could not load your generations — ${describeError(error)}`);
    }
    this.renderChrome();
  }

  /** Jobs still waiting or running, here and in their batches: follow them every couple of
   *  seconds (the list's first page, and each unfinished batch's counts) until all are done. */
  followPending() {
    const pending = [...this.cards.values()].filter((card) => PENDING.has(card.dataset.status));
    const batches = new Set(pending.map((card) => card.dataset.batch).filter(Boolean));
    for (const id of this.batchIds) batches.add(id);
    clearTimeout(this.followTimer);
    if (!pending.length && !batches.size) return;
    this.followTimer = setTimeout(async () => {
      try {
        const page = await this.api.generations({ limit: PAGE });
        for (const record of page.items) this.upsert(record);
        await this.showBatches(batches);
      } catch (error) {
        text(this.status, `Could not follow your jobs — ${describeError(error)}`);
      }
      this.followPending();
    }, FOLLOW_MS);
  }

  /** One line per batch: how many of its generations are done, and in which state the rest. */
  async showBatches(ids) {
    const lines = [];
    this.batchIds = new Set();
    for (const id of ids) {
      const batch = await this.api.batchCounts(id);
      const rest = Object.entries(batch.counts)
        .filter(([status]) => status !== 'success' && status !== 'error')
        .map(([status, n]) => `${n} ${status}`);
      const failed = batch.counts.error ? `, ${batch.counts.error} failed` : '';
      const state = batch.done >= batch.total ? 'finished' : rest.join(', ');
      lines.push(h('li', { 'data-batch': id },
        `Batch ${id.slice(0, 8)}: ${batch.done} of ${batch.total} done${failed} — ${state}`));
      if (batch.done < batch.total) this.batchIds.add(id);
    }
    this.batchList.replaceChildren(...lines);
    this.batchList.hidden = lines.length === 0;
  }

  renderChrome() {
    this.more.hidden = !this.nextBefore;
    this.empty.hidden = this.cards.size > 0 || !this.loaded;
    if (this.onCount) this.onCount(this.cards.size, Boolean(this.nextBefore));
  }

  /** The image as a blob URL (fetched with the API key: images are owner-only). */
  async imageUrl(record) {
    if (record.status !== 'success' || !record.image_url) return null;
    return this.imageOf(record.generation_id);
  }

  /** The image of generation `id` as a blob URL, fetched once. */
  imageOf(id) {
    if (!this.images.has(id)) {
      const pending = this.api.image(id).then((blob) => URL.createObjectURL(blob));
      this.images.set(id, pending);
      pending.catch(() => this.images.delete(id));
    }
    return this.images.get(id);
  }

  /** The photograph relight `id` edits, as a blob URL, fetched once. */
  sourceOf(id) {
    const key = `source:${id}`;
    if (!this.images.has(key)) {
      const pending = this.api.source(id).then((blob) => URL.createObjectURL(blob));
      this.images.set(key, pending);
      pending.catch(() => this.images.delete(key));
    }
    return this.images.get(key);
  }

  /** A re-lit image over its original — the generation it re-lights, or the photograph —
   *  split by a slider: the original (before) on the left of the split, the re-lit picture
   *  (after) on the right. The split moves by dragging anywhere on the picture, or with the
   *  arrow keys (Home / End for all of one). When the original cannot be had (deleted, or
   *  failed) the re-lit image stands alone. */
  compare(record, after) {
    const photo = Boolean(record.source);
    const parent = photo ? 'the photo' : shortId(record.parent_id);
    const before = h('img', { class: 'compare-before-img', alt: '', draggable: 'false' });
    const beforeLayer = h('div', { class: 'compare-before' }, before);
    const slider = h('input', {
      type: 'range', class: 'compare-slider', min: 0, max: 100, step: 1, value: 50,
      'aria-label': `Before and after: the original ${parent} left of the split, this re-light right of it`,
    });
    const box = h('div', { class: 'compare', 'data-parent': photo ? 'source' : record.parent_id },
      after, beforeLayer,
      h('span', { class: 'compare-tag compare-tag-before', 'aria-hidden': 'true' }, 'Before'),
      h('span', { class: 'compare-tag compare-tag-after', 'aria-hidden': 'true' }, 'After'),
      h('div', { class: 'compare-handle', 'aria-hidden': 'true' }),
      slider);
    const show = () => {
      const split = Number(slider.value);
      box.style.setProperty('--split', `${split}%`);
      box.dataset.split = String(split);
      slider.setAttribute('aria-valuetext', `${split}% original, ${100 - split}% re-lit`);
    };
    slider.addEventListener('input', show);
    // a drag anywhere on the picture puts the split under the pointer
    const follow = (event) => {
      const r = box.getBoundingClientRect();
      slider.value = String(Math.round(Math.min(1, Math.max(0, (event.clientX - r.left) / r.width)) * 100));
      show();
    };
    slider.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      event.preventDefault();
      slider.focus();
      slider.setPointerCapture(event.pointerId);
      follow(event);
    });
    slider.addEventListener('pointermove', (event) => {
      if (slider.hasPointerCapture(event.pointerId)) follow(event);
    });
    const release = (event) => {
      if (slider.hasPointerCapture(event.pointerId)) slider.releasePointerCapture(event.pointerId);
    };
    slider.addEventListener('pointerup', release);
    slider.addEventListener('pointercancel', release);
    show();
    const original = photo ? this.sourceOf(record.generation_id) : this.imageOf(record.parent_id);
    original.then((url) => {
      before.src = url;
      before.alt = `The original, ${parent}, before the re-light`;
    }, () => {
      // the original is gone: show the re-lit image alone, and say why there is no comparison
      box.replaceWith(after, h('p', { class: 'compare-missing' }, `Original ${parent} unavailable: no before/after`));
    });
    return box;
  }

  /** Add or refresh a generation's card; new ones go first (`top`) or in list order. */
  upsert(record, { top = false } = {}) {
    const known = this.cards.get(record.generation_id);
    const card = this.card(record);
    // a refreshed card keeps its light check unfolded if the user had unfolded it
    if (known && known.querySelector('.card-check[open]')) card.querySelector('.card-check')?.setAttribute('open', '');
    if (known) known.replaceWith(card);
    else if (top) this.grid.prepend(card);
    else this.grid.append(card);
    this.cards.set(record.generation_id, card);
    this.renderChrome();
    return card;
  }

  forget(id) {
    const card = this.cards.get(id);
    if (card) card.remove();
    this.cards.delete(id);
    for (const key of [id, `source:${id}`]) {
      const url = this.images.get(key);
      if (url) url.then((u) => URL.revokeObjectURL(u), () => {});
      this.images.delete(key);
    }
  }

  /** Bring a card into view (the Gallery view is shown by the caller's onReveal). */
  reveal(id) {
    if (this.onReveal) this.onReveal();
    const card = this.cards.get(id);
    if (!card) return;
    card.scrollIntoView({ block: 'nearest' });
    card.classList.add('card-flash');
    setTimeout(() => card.classList.remove('card-flash'), 1600);
    card.querySelector('h3').focus();
  }

  async openById(id) {
    this.openError.hidden = true;
    if (!id) {
      this.showOpenError('Type a generation id to open.');
      return;
    }
    try {
      const record = await this.api.generation(id);
      this.upsert(record, { top: true });
      this.reveal(record.generation_id);
    } catch (error) {
      this.showOpenError(error.status === 404
        ? `Not found (404): no generation ${id} among yours — it does not exist or belongs to another user.`
        : `Could not open ${id} — ${describeError(error)}`);
    }
  }

  showOpenError(message) {
    text(this.openError, message);
    this.openError.hidden = false;
  }

  card(record) {
    const id = record.generation_id;
    const a = record.analysis;
    const heading = a ? a.pattern_names.map(title).join(' · ') : 'Generation';
    const image = h('div', { class: 'card-image' });
    if (record.status === 'success') {
      const img = h('img', { alt: `Generated image ${shortId(id)}: ${heading}`, loading: 'lazy' });
      image.append(record.parent_id || record.source ? this.compare(record, img) : img, adherenceBadge(record.adherence));
      this.imageUrl(record).then((url) => { if (url) img.src = url; }, (error) => {
        image.replaceChildren(h('p', { class: 'card-state error' }, `Image unavailable — ${describeError(error)}`));
      });
    } else if (record.status === 'error' || record.status === 'interrupted') {
      image.append(h('p', { class: 'card-state error' }, `${title(record.status)}: ${record.error || 'no reason given'}`));
    } else {
      image.append(h('div', { class: 'card-state' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), `${title(record.status)}…`));
    }

    const conventions = this.store.conventions;
    const setup = record.request ? conventions.roles.filter((r) => record.request.lighting_setup[r]).map((role) => {
      const l = record.request.lighting_setup[role];
      const info = conventions.role(role);
      const mod = l.modifier ? `${conventions.modifier(l.modifier)?.short || l.modifier} ${cmText(l.modifier_size)}` : '';
      const where = role === 'ambient' ? '' : `${azimuthText(l.azimuth)} · ${elevationText(l.elevation)} · ${distanceText(l.distance)} · `;
      return h('li', { style: `--accent:${info.accent}`, class: l.enabled ? '' : 'off' },
        h('span', { class: 'role-dot small', 'aria-hidden': 'true' }),
        h('b', {}, info.label), ` ${where}${mod ? `${mod} · ` : ''}${kelvinText(l.color_temperature)} · ${percentText(l.intensity)}${l.enabled ? '' : ' · off'}`);
    }) : [];
    const cam = record.request && record.request.camera_settings;
    const meta = [record.backend, record.seed !== null && record.seed !== undefined ? `seed ${record.seed}` : null,
      money(record.cost_usd), seconds(record.duration_s), record.cached ? 'cached' : null].filter(Boolean).join(' · ');

    const busy = (button, work) => async () => {
      button.disabled = true;
      try {
        await work();
      } catch (error) {
        this.notices.error(`${button.textContent} (${shortId(id)})`, error);
      } finally {
        button.disabled = false;
      }
    };
    const actions = h('div', { class: 'card-actions' });
    const done = record.status === 'success';
    const relight = h('button', { type: 'button', class: 'secondary small', disabled: !done || !record.request, title: 'Load this setup into the studio, change the light, and re-light the same picture' }, 'Re-light this');
    relight.addEventListener('click', () => this.onRelight(record));
    const png = h('button', { type: 'button', class: 'ghost small', disabled: !done, title: 'Download the image', 'aria-label': 'Download the image' }, '↓ Image');
    png.addEventListener('click', busy(png, async () => {
      saveBlob(await this.api.image(id), `lightrig-${shortId(id)}.${extensionOf(record.media_type)}`);
    }));
    const prompt = h('button', { type: 'button', class: 'ghost small', disabled: !record.structured_prompt, title: 'Download the FIBO structured prompt (JSON)', 'aria-label': 'Download the structured prompt (JSON)' }, '↓ Prompt');
    prompt.addEventListener('click', () => saveJson(record.structured_prompt, `lightrig-${shortId(id)}-prompt.json`));
    const diagram = h('button', { type: 'button', class: 'ghost small', disabled: !record.request, title: 'Download the lighting diagram (SVG)', 'aria-label': 'Download the lighting diagram (SVG)' }, '↓ Diagram');
    diagram.addEventListener('click', busy(diagram, async () => {
      saveBlob(await this.api.diagram(record.request), `lightrig-${shortId(id)}-diagram.svg`);
    }));
    const remove = h('button', { type: 'button', class: 'ghost small danger', title: 'Delete this generation' }, 'Delete');
    remove.addEventListener('click', async () => {
      if (remove.dataset.armed !== 'true') {
        remove.dataset.armed = 'true';
        remove.textContent = 'Confirm delete';
        setTimeout(() => { remove.dataset.armed = 'false'; remove.textContent = 'Delete'; }, 4000);
        return;
      }
      try {
        await this.api.deleteGeneration(id);
        this.forget(id);
        this.renderChrome();
        this.notices.info(`Deleted ${shortId(id)}.`);
      } catch (error) {
        this.notices.error(`Delete ${shortId(id)}`, error);
      }
    });
    const copy = h('button', { type: 'button', class: 'link', title: `Copy the id ${id}` }, 'Copy id');
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(id);
        copy.textContent = 'Copied';
      } catch {
        copy.textContent = 'Select the id to copy it';
      }
      setTimeout(() => { copy.textContent = 'Copy id'; }, 2000);
    });
    actions.append(relight,
      h('span', { class: 'card-downloads', role: 'group', 'aria-label': 'Download' }, png, prompt, diagram),
      remove);

    return h('article', { class: `card card-${record.status}`, 'data-id': id, 'data-status': record.status, 'data-batch': record.batch_id || '', 'aria-labelledby': `card-${id}-title` },
      image,
      h('div', { class: 'card-body' },
        h('div', { class: 'card-head' },
          h('h3', { id: `card-${id}-title`, tabindex: -1 }, heading),
          a ? h('span', { class: 'card-rating', title: 'Rating out of 10' }, a.rating.toFixed(1)) : null),
        a ? h('p', { class: 'card-figures' },
          a.ratio.shadow_unlit
            ? h('span', { class: 'no-fill', title: `${title(NO_FILL)}: no light reaches it, so it renders black` }, contrastText(a.ratio))
            : contrastText(a.ratio),
          ` · ${a.shadows.hardness} · ${a.mood.slice(0, 2).join(', ')}`) : null,
        h('ul', { class: 'card-setup', 'aria-label': 'Lights' }, ...setup),
        record.status === 'success' ? adherenceDetails(record.adherence) : null,
        cam ? h('p', { class: 'card-meta' }, `${Math.round(cam.focal_length)} mm · f/${cam.aperture} · ${cam.shot_type} · WB ${kelvinText(cam.white_balance)}`) : null,
        h('p', { class: 'card-meta' }, meta),
        h('p', { class: 'card-meta card-id' }, h('span', { class: 'mono', title: id }, shortId(id)), copy,
          h('span', {}, `${when(record.created_at)}${record.parent_id ? ` · re-lit from ${shortId(record.parent_id)}` : ''}${record.source ? ' · a photo re-lit' : ''}`)),
        actions));
  }
}
