// The camera (framing, lens, aperture, white balance) and the subject (who, where, head turn,
// backdrop) — the parts of the scene that are not lights.

import { h, text } from './dom.js';
import { NumberField } from './fields.js';
import { kelvinGradient, luminanceOfHex, swatchHex } from './colour.js';
import { azimuthText, distanceText, kelvinText } from './format.js';

/** The enums the API accepts (read from /openapi.json at start; these are the fallbacks). */
export const CAMERA_ENUMS = {
  shot_type: ['extreme close-up', 'close-up', 'medium close-up', 'medium shot', 'cowboy shot', 'full shot', 'wide shot'],
  camera_angle: ['eye-level', 'high angle', 'low angle', 'overhead', 'dutch angle'],
};
const PRIMES = [24, 35, 50, 85, 105, 135, 200];
// full stops and the usual thirds between them
const APERTURES = [1.2, 1.4, 1.8, 2, 2.2, 2.5, 2.8, 3.2, 3.5, 4, 4.5, 5, 5.6, 6.3, 7.1, 8, 9, 10, 11, 13, 14, 16, 22];
const BACKDROPS = [['White', '#f4f4f4'], ['Mid grey', '#808080'], ['Black', '#141414']];

const fovOf = (mm) => (2 * Math.atan(36 / (2 * mm)) * 180) / Math.PI;

function select(id, values, onchange) {
  return h('select', { id, onchange }, ...values.map((v) => h('option', { value: v }, v)));
}

export class CameraControls {
  constructor(cameraRoot, subjectRoot, store) {
    this.store = store;
    this.conventions = store.conventions;
    this.buildCamera(cameraRoot);
    this.buildSubject(subjectRoot);
    store.subscribe((change) => {
      if (change.scene || change.analysis) this.render();
    });
    this.render();
  }

  set(mutate, { live = false, end = false } = {}) {
    this.store.update(mutate, { live: live || end, source: 'camera' });
    if (end) this.store.endLive();
  }

  setCamera(key) {
    return (value, opts = { end: true }) => this.set((s) => { s.camera_settings[key] = value; }, opts);
  }

  /** Fill the selects with the API's own enums. */
  setEnums(enums) {
    for (const [key, node] of [['shot_type', this.shot], ['camera_angle', this.angle]]) {
      if (!enums[key] || !enums[key].length) continue;
      node.replaceChildren(...enums[key].map((v) => h('option', { value: v }, v)));
    }
    this.render();
  }

  buildCamera(root) {
    const conventions = this.conventions;
    const balance = conventions.ranges.white_balance_k;
    this.shot = select('camera-shot', CAMERA_ENUMS.shot_type, () => this.setCamera('shot_type')(this.shot.value));
    this.angle = select('camera-angle', CAMERA_ENUMS.camera_angle, () => this.setCamera('camera_angle')(this.angle.value));
    this.focal = new NumberField({
      id: 'camera-focal', label: 'Focal length', unit: 'mm', min: 8, max: 800, step: 1, scale: 'log',
      valueText: (v) => `${v} mm`, onInput: (v, o) => this.setCamera('focal_length')(v, o),
    });
    this.primes = h('div', { class: 'inline-buttons', role: 'group', 'aria-label': 'Common focal lengths' },
      ...PRIMES.map((mm) => h('button', {
        type: 'button', class: 'ghost small', 'data-mm': mm,
        onclick: () => this.setCamera('focal_length')(mm),
      }, `${mm}`)));
    this.aperture = h('select', { id: 'camera-aperture', onchange: () => this.setCamera('aperture')(Number(this.aperture.value)) },
      ...APERTURES.map((f) => h('option', { value: f }, `f/${f}`)));
    this.apertureRead = h('p', { class: 'readout' });
    this.whiteBalance = new NumberField({
      id: 'camera-wb', label: 'White balance', unit: 'K', min: balance.min, max: balance.max, step: 50, scale: 'mired',
      valueText: (v) => `${kelvinText(v)}, ${conventions.colourName(v)}`, onInput: (v, o) => this.setCamera('white_balance')(v, o),
    });
    this.whiteBalance.range.classList.add('range-kelvin');
    this.matchKey = h('button', {
      type: 'button', class: 'ghost small', id: 'camera-wb-key',
      onclick: () => {
        const key = this.store.scene.lighting_setup.key;
        if (key) this.setCamera('white_balance')(Math.min(balance.max, Math.max(balance.min, Math.round(key.color_temperature))));
      },
    }, 'Set to the key’s colour');
    this.wbRead = h('p', { class: 'readout' });
    const field = (label, id, control) => h('div', { class: 'field field-select' }, h('label', { for: id, class: 'field-label' }, label), control);
    root.replaceChildren(
      h('fieldset', { class: 'group' }, h('legend', {}, 'Framing'),
        field('Shot', 'camera-shot', this.shot), field('Angle', 'camera-angle', this.angle)),
      h('fieldset', { class: 'group' }, h('legend', {}, 'Lens'),
        this.focal.element, this.primes,
        field('Aperture', 'camera-aperture', this.aperture), this.apertureRead),
      h('fieldset', { class: 'group' }, h('legend', {}, 'White balance'),
        this.whiteBalance.element, h('div', { class: 'inline-buttons' }, this.matchKey), this.wbRead));
  }

  buildSubject(root) {
    const { subject_yaw_deg: yaw, background_distance_m: backdrop } = this.conventions.ranges;
    this.description = h('textarea', {
      id: 'subject-description', rows: 2, maxlength: 500,
      onchange: () => {
        const value = this.description.value.trim();
        if (value) this.set((s) => { s.subject_description = value; }, { end: true });
      },
    });
    this.environment = h('input', {
      id: 'subject-environment', type: 'text', maxlength: 300,
      onchange: () => {
        const value = this.environment.value.trim();
        if (value) this.set((s) => { s.environment = value; }, { end: true });
      },
    });
    this.yaw = new NumberField({
      id: 'subject-yaw', label: 'Head turn', unit: '°', min: yaw.min, max: yaw.max, step: 1,
      valueText: (v) => (v === 0 ? 'facing the camera' : `turned ${Math.abs(v)}° toward camera-${v > 0 ? 'right' : 'left'}`),
      onInput: (v, o) => this.set((s) => { s.subject_yaw = v; }, o),
    });
    this.hasBackdrop = h('input', {
      type: 'checkbox', id: 'subject-has-backdrop',
      onchange: () => this.set((s) => { s.backdrop_color = this.hasBackdrop.checked ? (this.colour.value || '#808080') : null; }, { end: true }),
    });
    this.colour = h('input', {
      type: 'color', id: 'subject-backdrop', value: '#808080',
      oninput: () => this.set((s) => { s.backdrop_color = this.colour.value; }, { live: true }),
      onchange: () => this.set((s) => { s.backdrop_color = this.colour.value; }, { end: true }),
    });
    this.backdrops = h('div', { class: 'inline-buttons', role: 'group', 'aria-label': 'Backdrop colours' },
      ...BACKDROPS.map(([name, hex]) => h('button', {
        type: 'button', class: 'ghost small swatch-button', title: `${name} ${hex}`,
        onclick: () => this.set((s) => { s.backdrop_color = hex; }, { end: true }),
      }, h('span', { class: 'swatch small', style: `background:${hex}`, 'aria-hidden': 'true' }), name)));
    this.backdropRead = h('p', { class: 'readout' });
    this.bgDistance = new NumberField({
      id: 'subject-bg-distance', label: 'Backdrop', unit: 'm', min: backdrop.min, max: backdrop.max, step: 0.1, digits: 1, scale: 'log',
      valueText: (v) => `${v} m behind the subject`, onInput: (v, o) => this.set((s) => { s.background_distance = v; }, o),
    });
    this.yawRead = h('p', { class: 'readout' });
    root.replaceChildren(
      h('fieldset', { class: 'group' }, h('legend', {}, 'Subject'),
        h('div', { class: 'field field-text' }, h('label', { for: 'subject-description', class: 'field-label' }, 'Who'), this.description),
        h('div', { class: 'field field-text' }, h('label', { for: 'subject-environment', class: 'field-label' }, 'Where'), this.environment),
        this.yaw.element, this.yawRead),
      h('fieldset', { class: 'group' }, h('legend', {}, 'Background'),
        h('div', { class: 'field field-select' },
          h('label', { class: 'field-label', for: 'subject-has-backdrop' }, 'Seamless'),
          h('span', { class: 'backdrop-pick' }, this.hasBackdrop, this.colour)),
        this.backdrops, this.backdropRead, this.bgDistance.element));
  }

  render() {
    const scene = this.store.scene;
    const cam = scene.camera_settings;
    this.shot.value = cam.shot_type;
    this.angle.value = cam.camera_angle;
    this.focal.show(Math.round(cam.focal_length));
    this.focal.setNote(`${fovOf(cam.focal_length).toFixed(1)}° horizontal field of view (full frame)`);
    for (const b of this.primes.children) b.setAttribute('aria-pressed', String(Number(b.dataset.mm) === Math.round(cam.focal_length)));
    if (!APERTURES.includes(cam.aperture)) {
      this.aperture.append(h('option', { value: cam.aperture }, `f/${cam.aperture}`));
    }
    this.aperture.value = String(cam.aperture);
    text(this.apertureRead, cam.aperture <= 2.8 ? 'Wide open: shallow depth of field, soft background' : cam.aperture >= 11 ? 'Stopped down: deep depth of field' : 'Moderate depth of field');
    this.whiteBalance.show(cam.white_balance);
    const balance = this.conventions.ranges.white_balance_k;
    this.whiteBalance.range.style.setProperty('--track', kelvinGradient(balance.min, balance.max, 5600));
    const key = scene.lighting_setup.key;
    this.matchKey.disabled = !key;
    text(this.wbRead, `${this.conventions.colourName(cam.white_balance)} · lights at ${kelvinText(cam.white_balance)} render neutral, lower warm, higher cool`);
    this.wbRead.style.setProperty('--chip', swatchHex(key ? key.color_temperature : 5600, cam.white_balance));

    if (document.activeElement !== this.description) this.description.value = scene.subject_description;
    if (document.activeElement !== this.environment) this.environment.value = scene.environment;
    this.yaw.show(Math.round(scene.subject_yaw));
    const facing = this.store.analysis && this.store.analysis.facing;
    text(this.yawRead, scene.subject_yaw === 0
      ? 'Facing the camera: turn the head for broad or short lighting'
      : `Head ${azimuthText(scene.subject_yaw)}${facing ? ` · ${facing} lighting (the key lights the side turned ${facing === 'broad' ? 'toward' : 'away from'} the camera)` : ''}`);
    this.hasBackdrop.checked = Boolean(scene.backdrop_color);
    this.colour.disabled = !scene.backdrop_color;
    if (scene.backdrop_color && document.activeElement !== this.colour) this.colour.value = scene.backdrop_color;
    const stops = this.store.analysis ? this.store.analysis.backdrop_stops : null;
    text(this.backdropRead, scene.backdrop_color
      ? `${Math.round(100 * luminanceOfHex(scene.backdrop_color))}% reflectance${stops !== null ? ` · reads ${Math.abs(stops).toFixed(1)} stops ${stops < 0 ? 'under' : 'over'} the face` : ''}`
      : `No backdrop: the environment is described in words${stops !== null ? ` · background ${Math.abs(stops).toFixed(1)} stops ${stops < 0 ? 'under' : 'over'} the face` : ''}`);
    this.bgDistance.show(scene.background_distance);
    this.bgDistance.setNote(distanceText(scene.background_distance) + ' behind the subject');
  }
}
