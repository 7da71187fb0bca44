// The light inspector: every setting of the selected light, with the photographer's reading
// of each beside it — stops against the key, the colour as a gelled source, the shadows its
// modifier casts from where it stands.

import { byId, h, text } from './dom.js';
import { NumberField } from './fields.js';
import {
  asGelledSource, colourCast, kelvinFromMired, kelvinGradient, mired, prettyGel, swatchHex,
} from './colour.js';
import { apparentAngle, isNearField } from './rig.js';
import {
  azimuthWords, cmText, distanceText, elevationText, kelvinText, percentText, stopsText,
} from './format.js';

const THIRD = 2 ** (1 / 3);

export class LightControls {
  constructor(root, store) {
    this.root = root;
    this.store = store;
    this.conventions = store.conventions;
    this.build();
    store.subscribe((change) => {
      if (change.scene || change.selection || change.analysis) this.render();
    });
    this.render();
  }

  /** Change the selected light; `live` while a slider is moving (one undo step per gesture). */
  set(changes, { live = false, end = false } = {}) {
    const role = this.store.selected;
    this.store.update((s) => {
      if (s.lighting_setup[role]) Object.assign(s.lighting_setup[role], changes);
    }, { live: live || end, source: 'inspector' });
    if (end) this.store.endLive();
  }

  build() {
    const set = (key, transform = (v) => v) => (value, opts) => this.set({ [key]: transform(value) }, opts);
    const conventions = this.conventions;
    const { kelvin, azimuth_deg: azimuth, elevation_deg: elevation, distance_m: distance } = conventions.ranges;

    this.dot = h('span', { class: 'role-dot', 'aria-hidden': 'true' });
    this.title = h('h3', { id: 'light-title' });
    this.blurb = h('p', { class: 'muted small' });
    this.enabled = h('input', {
      type: 'checkbox', id: 'light-enabled',
      onchange: () => this.set({ enabled: this.enabled.checked }, { end: true }),
    });
    this.remove = h('button', {
      type: 'button', class: 'ghost small', id: 'light-remove',
      onclick: () => this.store.removeLight(this.store.selected),
    }, 'Remove');

    this.azimuth = new NumberField({
      id: 'light-azimuth', label: 'Angle', unit: '°', min: azimuth.min, max: azimuth.max, step: 1,
      valueText: (v) => azimuthWords(v), onInput: set('azimuth'),
    });
    this.elevation = new NumberField({
      id: 'light-elevation', label: 'Height', unit: '°', min: elevation.min, max: elevation.max, step: 1,
      valueText: (v) => `${elevationText(v)} above eye level`, onInput: set('elevation'),
    });
    this.distance = new NumberField({
      id: 'light-distance', label: 'Distance', unit: 'm', min: distance.min, max: distance.max, step: 0.05, digits: 2,
      scale: 'log', valueText: (v) => distanceText(v), onInput: set('distance'),
    });
    this.intensity = new NumberField({
      id: 'light-intensity', label: 'Power', unit: '%', min: 0, max: 100, step: 1,
      valueText: (v) => `${v}% of full power`, onInput: set('intensity', (v) => v / 100),
    });
    // photographers adjust power in thirds of a stop: ×2^(±1/3)
    const thirds = (sign) => () => {
      const light = this.store.light();
      if (!light) return;
      const next = Math.min(1, Math.max(0.01, light.intensity * THIRD ** sign));
      this.set({ intensity: Number(next.toFixed(3)) }, { end: true });
    };
    this.stepDown = h('button', { type: 'button', class: 'ghost small', title: 'One third of a stop less', 'aria-label': 'One third of a stop less', onclick: thirds(-1) }, '−⅓ EV');
    this.stepUp = h('button', { type: 'button', class: 'ghost small', title: 'One third of a stop more', 'aria-label': 'One third of a stop more', onclick: thirds(1) }, '+⅓ EV');
    this.stops = h('p', { class: 'readout', id: 'light-stops' });

    this.kelvin = new NumberField({
      id: 'light-kelvin', label: 'Colour', unit: 'K', min: kelvin.min, max: kelvin.max, step: 50,
      scale: 'mired', valueText: (v) => `${kelvinText(v)}, ${conventions.colourName(v)}`,
      onInput: set('color_temperature'),
    });
    this.kelvin.range.classList.add('range-kelvin');
    this.swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    this.colourRead = h('p', { class: 'readout', id: 'light-colour' });
    this.gelRead = h('p', { class: 'readout', id: 'light-gel' });
    const gelButton = (gel) => h('button', {
      type: 'button', class: 'gel', 'data-gel': gel.name,
      title: `Add ${gel.label} (${gel.shift > 0 ? '+' : '−'}${Math.abs(gel.shift)} mired)`,
      'aria-label': `Add ${gel.label}`,
      onclick: () => {
        // gels add mireds: the new colour is 10⁶ / (mired + shift)
        const light = this.store.light();
        if (!light) return;
        const k = kelvinFromMired(mired(light.color_temperature) + gel.shift);
        this.set({ color_temperature: Math.round(Math.min(kelvin.max, Math.max(kelvin.min, k))) }, { end: true });
      },
    }, gel.short);
    const family = (name, cls) => h('div', { class: 'gel-row', role: 'group', 'aria-label': `Add a ${name} gel` },
      h('span', { class: `gel-family ${cls}` }, name),
      ...conventions.gels.filter((g) => g.family === name).reverse().map(gelButton));
    this.gels = h('div', { class: 'field gels' },
      h('span', { class: 'field-label' }, 'Add gel'),
      h('div', { class: 'gel-rows' }, family('CTO', 'cto'), family('CTB', 'ctb')));
    this.modifier = h('select', {
      id: 'light-modifier',
      onchange: () => {
        const value = this.modifier.value || null;
        const typical = value ? conventions.modifier(value).size : conventions.defaultSize;
        this.set({ modifier: value, modifier_size: typical }, { end: true });
      },
    }, h('option', { value: '' }, 'No modifier (set its size)'),
      ...conventions.modifiers.map((m) => h('option', { value: m.value }, `${m.label} (${cmText(m.size)})`)));
    this.size = new NumberField({
      id: 'light-size', label: 'Size', unit: 'cm', min: 1, max: 1000, step: 1, scale: 'log',
      valueText: (v) => `${v} cm across`, onInput: set('modifier_size', (v) => v / 100),
    });
    this.softness = new NumberField({
      id: 'light-softness', label: 'Softness', unit: '', min: 0, max: 1, step: 0.01, digits: 2,
      valueText: (v) => `softness ${v.toFixed(2)}`,
      onInput: (v, opts) => this.set({ modifier_size: Math.max(0.01, conventions.sizeFromSoftness(v)) }, opts),
    });
    this.shapeRead = h('p', { class: 'readout', id: 'light-shape' });

    const group = (legend, id, ...children) => h('fieldset', { class: 'group', id }, h('legend', {}, legend), ...children);
    this.positionGroup = group('Position', 'grp-position', this.azimuth.element, this.elevation.element, this.distance.element);
    this.shapeGroup = group('Modifier', 'grp-shape',
      h('div', { class: 'field field-select' }, h('label', { for: 'light-modifier', class: 'field-label' }, 'Type'), this.modifier),
      this.size.element, this.softness.element, this.shapeRead);

    this.empty = h('p', { class: 'muted', hidden: true }, 'Select a light in the diagram or the row of lights, or add one.');
    this.body = h('div', { class: 'light-body' },
      h('div', { class: 'light-head' },
        this.dot,
        h('div', { class: 'light-name' }, this.title, this.blurb),
        h('label', { class: 'switch', for: 'light-enabled' }, this.enabled, h('span', {}, 'On')),
        this.remove),
      this.positionGroup,
      group('Output', 'grp-output', this.intensity.element,
        h('div', { class: 'inline-buttons' }, this.stepDown, this.stepUp), this.stops),
      group('Colour temperature', 'grp-colour',
        h('div', { class: 'kelvin-row' }, this.kelvin.element, this.swatch),
        this.colourRead, this.gels, this.gelRead),
      this.shapeGroup);
    this.root.replaceChildren(this.empty, this.body);
  }

  render() {
    const store = this.store;
    const role = store.selected;
    const light = store.light(role);
    this.empty.hidden = Boolean(light);
    this.body.hidden = !light;
    if (!light) return;
    const conventions = this.conventions;
    const info = conventions.role(role);
    const scene = store.scene;
    const wb = scene.camera_settings.white_balance;
    const ambient = role === 'ambient';

    this.root.style.setProperty('--accent', info.accent);
    text(this.title, `${info.label} light`);
    text(this.blurb, info.blurb);
    this.enabled.checked = light.enabled;
    this.remove.disabled = Object.keys(scene.lighting_setup).length < 2;
    this.remove.title = this.remove.disabled ? 'A setup needs at least one light' : `Remove the ${info.label.toLowerCase()} light`;
    this.positionGroup.hidden = ambient;
    this.shapeGroup.hidden = ambient;

    this.azimuth.show(light.azimuth);
    this.azimuth.setNote(azimuthWords(light.azimuth));
    this.elevation.show(light.elevation);
    // light from below the eyes reads as unsettling: say so where the height is set
    const height = Math.round(light.elevation);
    let heightNote = height === 0 ? 'at eye level' : `${Math.abs(height)}° ${height > 0 ? 'above' : 'below'} eye level`;
    if (role !== 'background' && height < -10) heightNote += ': light from below reads as unsettling';
    else if (height >= 75) heightNote += ': nearly overhead, deep eye sockets';
    this.elevation.setNote(heightNote);
    this.distance.show(light.distance);
    this.distance.element.querySelector('label').textContent = role === 'background' ? 'To backdrop' : 'Distance';
    // inverse square: ×√2 the distance is one stop less, ÷√2 one stop more
    this.distance.setNote(`1 stop less at ${distanceText(light.distance * Math.SQRT2)}, 1 more at ${distanceText(conventions.clampDistance(light.distance / Math.SQRT2))}`);

    this.intensity.show(Math.round(light.intensity * 100));
    this.renderStops(role, light);

    this.kelvin.show(light.color_temperature);
    const { kelvin } = conventions.ranges;
    this.kelvin.range.style.setProperty('--track', kelvinGradient(kelvin.min, kelvin.max, wb));
    this.swatch.style.background = swatchHex(light.color_temperature, wb);
    this.swatch.title = `${kelvinText(light.color_temperature)} at white balance ${kelvinText(wb)}`;
    text(this.colourRead, `${conventions.colourName(light.color_temperature)} · ${Math.round(mired(light.color_temperature))} mired · ${colourCast(light.color_temperature, wb)} at WB ${kelvinText(wb)}`);
    this.renderGel(role, light);

    this.modifier.value = light.modifier || '';
    this.size.show(Math.max(1, Math.round(light.modifier_size * 100)));
    this.softness.show(Number(conventions.softnessFromSize(light.modifier_size).toFixed(2)));
    const angle = apparentAngle(light.modifier_size, light.distance);
    const near = isNearField(light.modifier_size, light.distance);
    text(this.shapeRead, `${Math.round(angle)}° apparent size at ${distanceText(light.distance)} → ${conventions.hardnessForAngle(angle)} shadows`
      + (near ? ` · within 5 diameters (${distanceText(5 * light.modifier_size)}): falls off more gently than inverse square` : ''));
  }

  renderStops(role, light) {
    const scene = this.store.scene;
    const key = scene.lighting_setup.key;
    const report = this.store.analysis?.lights?.find((l) => l.role === role);
    if (role === 'key') {
      text(this.stops, 'The key is the reference: other lights are read in stops against it.');
      return;
    }
    const parts = [];
    if (key && key.intensity > 0 && light.intensity > 0) {
      parts.push(`power ${stopsText(Math.log2(light.intensity / key.intensity))} vs key`);
    }
    if (report && report.stops_from_key !== null && report.stops_from_key !== undefined) {
      parts.push(`${stopsText(report.stops_from_key)} at the subject (distance and angle counted)`);
    }
    text(this.stops, parts.join(' · ') || `${percentText(light.intensity)} of full power`);
  }

  renderGel(role, light) {
    const made = asGelledSource(light.color_temperature, this.conventions);
    const parts = [made.gel ? `On set: ${made.source} + ${made.gel}` : `On set: ${made.source}, no gel`];
    const match = this.store.analysis?.colour?.gels?.find((g) => g.role === role);
    if (match) parts.push(`to match the key: ${prettyGel(match.gel)}`);
    text(this.gelRead, parts.join(' · '));
  }
}
