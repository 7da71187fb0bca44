// The live analysis: the setup read as a photographer would — the ratio in stops, the pattern,
// colour balance in mireds, shadow hardness, mood, and a rating that explains itself.

import { byId, h, replace, text } from './dom.js';
import { describeError } from './api.js';
import { prettyGel } from './colour.js';
import {
  NO_FILL, RATIO_CAP, cappedRatioText, kelvinText, ratioText, stopsText, title,
} from './format.js';

// The ratio scale, in stops of lit side over shadow side. Style bands (lighting.md): up to
// 2:1 (1 stop) flat / high-key; 3:1–4:1 (1.6–2 stops) the standard portrait; 8:1 (3 stops) and
// beyond dramatic, low-key, noir.
const SCALE_MAX_STOPS = 5;
const BANDS = [
  { from: 0, to: 1, name: 'flat', cls: 'band-flat' },
  { from: 1, to: 2, name: 'portrait', cls: 'band-portrait' },
  { from: 2, to: 3, name: 'strong', cls: 'band-strong' },
  { from: 3, to: SCALE_MAX_STOPS, name: 'dramatic', cls: 'band-dramatic' },
];

function figure(id, label) {
  const value = h('p', { class: 'fig-value', id: `${id}-value` });
  const sub = h('p', { class: 'fig-sub', id: `${id}-sub` });
  const node = h('div', { class: 'fig', id }, h('p', { class: 'fig-label' }, label), value, sub);
  return { node, value, sub };
}

export class AnalysisView {
  constructor(root, store) {
    this.root = root;
    this.store = store;
    this.build();
    store.subscribe((change) => {
      if (change.analysis) this.render();
    });
  }

  build() {
    this.ratio = figure('fig-ratio', 'Lit : shadow');
    this.pattern = figure('fig-pattern', 'Pattern');
    // the pattern's reason can run to a paragraph: three lines, the rest on a click (or Enter)
    const sub = this.pattern.sub;
    Object.assign(sub, { tabIndex: 0 });
    sub.classList.add('clamped');
    sub.setAttribute('role', 'button');
    sub.setAttribute('aria-expanded', 'false');
    const toggle = () => {
      const open = sub.classList.toggle('open');
      sub.setAttribute('aria-expanded', String(open));
    };
    sub.addEventListener('click', toggle);
    sub.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        toggle();
      }
    });
    this.rating = figure('fig-rating', 'Rating');
    this.colour = figure('fig-colour', 'Colour');
    this.shadows = figure('fig-shadows', 'Shadows');
    this.mood = figure('fig-mood', 'Mood');
    this.scale = h('div', { class: 'stop-scale', 'aria-hidden': 'true' },
      ...BANDS.map((b) => h('span', { class: `band ${b.cls}`, style: `left:${(100 * b.from) / SCALE_MAX_STOPS}%;width:${(100 * (b.to - b.from)) / SCALE_MAX_STOPS}%`, title: b.name })),
      ...[0, 1, 2, 3, 4].map((stop) => h('span', { class: 'tick', style: `left:${(100 * stop) / SCALE_MAX_STOPS}%` }, `${2 ** stop}:1`)));
    this.marker = h('span', { class: 'marker' });
    this.scale.append(this.marker);
    this.ratio.node.append(this.scale);
    this.summary = h('p', { class: 'summary', id: 'analysis-summary' });
    this.error = h('p', { class: 'panel-error', role: 'alert', hidden: true });
    this.components = h('ul', { class: 'components', id: 'rating-components' });
    this.warnings = h('ul', { class: 'warnings', id: 'analysis-warnings' });
    this.recommendations = h('ul', { class: 'recommendations', id: 'analysis-recommendations' });
    this.lights = h('table', { class: 'light-table', id: 'analysis-lights' });
    this.extra = h('p', { class: 'readout', id: 'analysis-extra' });
    byId('analysis-body').replaceChildren(
      this.error,
      h('div', { class: 'figures' }, this.pattern.node, this.rating.node, this.ratio.node,
        this.colour.node, this.shadows.node, this.mood.node),
      this.summary,
      h('section', { class: 'sub-section', 'aria-labelledby': 'h-rating' }, h('h3', { id: 'h-rating' }, 'Why this rating'), this.components),
      h('section', { class: 'sub-section', 'aria-labelledby': 'h-advice' }, h('h3', { id: 'h-advice' }, 'Advice'), this.warnings, this.recommendations),
      h('section', { class: 'sub-section', 'aria-labelledby': 'h-lights' }, h('h3', { id: 'h-lights' }, 'At the subject'), this.lights, this.extra));
  }

  showError(error) {
    this.error.hidden = false;
    text(this.error, `Analysis failed — ${describeError(error)}`);
    this.root.classList.add('stale');
  }

  render() {
    const a = this.store.analysis;
    if (!a) return;
    this.error.hidden = true;
    this.root.classList.remove('stale');
    this.root.dataset.version = String(this.store.analysisVersion);
    const r = a.ratio;

    // no light on the shadow side: the analysis's 1024:1 (10 stops) is its cap, a number for
    // black — say so in words, and pin the marker past the scale's dramatic end
    const naive = r.intensity_ratio ? `The naive key/fill power ratio would say ${ratioText(r.intensity_ratio)}.` : '';
    this.ratio.node.classList.toggle('unlit', r.shadow_unlit);
    if (r.shadow_unlit) {
      text(this.ratio.value, 'No fill');
      text(this.ratio.sub, 'the shadow side is unlit');
      this.marker.style.left = '100%';
      this.ratio.node.title = `${title(NO_FILL)} (lit side ${r.lit_side}): no light reaches it, so it `
        + `renders black and lit : shadow is no ratio. ${naive}`.trim();
    } else {
      text(this.ratio.value, ratioText(r.ratio));
      text(this.ratio.sub, `${stopsText(r.stops).replace('+', '')} · ASC${r.asc_ratio >= RATIO_CAP ? ':' : ''} ${cappedRatioText(r.asc_ratio)}`);
      this.marker.style.left = `${(100 * Math.min(Math.max(r.stops, 0), SCALE_MAX_STOPS)) / SCALE_MAX_STOPS}%`;
      this.ratio.node.title = `Lit side (${r.lit_side}) over shadow side, from every light's illuminance on the face. ${naive}`.trim();
    }

    text(this.pattern.value, a.pattern_names.map(title).join(' · ') || title(a.pattern));
    text(this.pattern.sub, a.pattern_reason);
    this.pattern.sub.title = a.pattern_reason;
    this.pattern.value.dataset.pattern = a.pattern;

    text(this.rating.value, `${a.rating.toFixed(1)} / 10`);
    this.rating.node.style.setProperty('--score', String(a.rating / 10));
    text(this.rating.sub, a.rating >= 8.5 ? 'holds together' : a.rating >= 6 ? 'workable: see advice' : 'fights itself: see advice');

    const c = a.colour;
    text(this.colour.value, title(c.consistency));
    text(this.colour.sub, `${c.cast} · key ${kelvinText(c.key_kelvin)} · ${Math.round(c.spread_mired)} mired spread`);
    this.colour.node.title = `Illuminance-weighted mean ${kelvinText(c.mean_kelvin)} at white balance ${kelvinText(c.white_balance)}`;

    const sh = a.shadows;
    text(this.shadows.value, title(sh.hardness));
    text(this.shadows.sub, `key ${Math.round(sh.key_apparent_angle)}° wide · ${Math.round(sh.nose_shadow_edge_mm)} mm nose-shadow edge`);

    text(this.mood.value, a.mood.slice(0, 2).join(', '));
    text(this.mood.sub, [a.mood.slice(2, 4).join(', '), a.tonal_key].filter(Boolean).join(' · '));

    text(this.summary, a.summary);

    replace(this.components, ...a.rating_components.map((comp) => h('li', {},
      h('span', { class: 'comp-name' }, title(comp.name)),
      h('span', { class: 'comp-bar', 'aria-hidden': 'true' }, h('span', { style: `width:${(100 * comp.score) / comp.max_score}%` })),
      h('span', { class: 'comp-score' }, `${comp.score.toFixed(1)} / ${comp.max_score}`),
      h('span', { class: 'comp-reason' }, comp.reason))));

    replace(this.warnings, ...a.warnings.map((w) => h('li', {}, h('span', { class: 'sr-only' }, 'Warning: '), w)));
    const advice = [...a.recommendations];
    for (const g of c.gels) advice.push(`Gel the ${g.role} with ${prettyGel(g.gel)} (${g.mired_shift > 0 ? '+' : '−'}${Math.abs(Math.round(g.mired_shift))} mired) to match the key: ${kelvinText(g.from_kelvin)} → ${kelvinText(g.to_kelvin)}.`);
    replace(this.recommendations, ...advice.map((w) => h('li', {}, w)));

    replace(this.lights,
      h('thead', {}, h('tr', {}, ...['Light', 'vs key', 'Size', 'Shadows'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...a.lights.map((l) => h('tr', { style: `--accent:${this.store.conventions.roleInfo[l.role]?.accent || '#999'}` },
        h('th', { scope: 'row' }, h('span', { class: 'role-dot small', 'aria-hidden': 'true' }), this.store.conventions.roleInfo[l.role]?.label || title(l.role)),
        h('td', {}, l.stops_from_key === null ? 'reference' : stopsText(l.stops_from_key)),
        h('td', {}, `${Math.round(l.apparent_angle)}°`),
        h('td', {}, `${l.hardness}${l.near_field ? ' · near' : ''}`)))));
    const extra = [`Backdrop ${stopsText(a.backdrop_stops)} against the lit side of the face.`];
    if (r.intensity_ratio) {
      extra.push(`Key/fill power alone says ${ratioText(r.intensity_ratio)}; distance, angle and spill `
        + `${r.shadow_unlit ? 'leave the shadow side unlit (no fill reaches it)' : `make it ${ratioText(r.ratio)}`}.`);
    }
    text(this.extra, extra.join(' '));
  }
}
