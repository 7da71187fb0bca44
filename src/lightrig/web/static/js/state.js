// The studio's state: the scene being lit (a SceneRequest as the API takes it), the selected
// light, the latest analysis, undo/redo, and the generation being re-lit. Views subscribe and
// re-render what a change touched; nothing else holds a copy of the scene.

import { defaultLight } from './rig.js';

const SCENE_STORAGE = 'lightrig.scene';
const HISTORY_LIMIT = 100;

const num = (v, fallback) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/** A light as the studio keeps it: numbers only; the size of the modifier, not its softness
 * (the server derives one from the other and refuses the pair when they disagree). */
export function normaliseLight(role, light, conventions) {
  const size = num(light.modifier_size, light.softness != null ? conventions.sizeFromSoftness(light.softness) : conventions.defaultSize);
  return {
    azimuth: num(light.azimuth, role === 'ambient' ? 0 : -45),
    elevation: num(light.elevation, role === 'ambient' ? 90 : 0),
    distance: num(light.distance, 1.5),
    intensity: num(light.intensity, 0.5),
    color_temperature: num(light.color_temperature, 5600),
    modifier: light.modifier || null,
    modifier_size: size,
    power: normalisePower(light.power),
    enabled: light.enabled !== false,
  };
}

/** A light's stated power ({watt_seconds} | {guide_number} | {lux_at_1m}), or null. */
function normalisePower(power) {
  if (!power) return null;
  for (const kind of ['watt_seconds', 'guide_number', 'lux_at_1m']) {
    if (typeof power[kind] === 'number' && Number.isFinite(power[kind])) return { [kind]: power[kind] };
  }
  return null;
}

/** A scene request from the API (a preset, a translation, a generation) as studio state. */
export function normaliseScene(request, conventions) {
  const setup = {};
  for (const role of conventions.roles) {
    const light = request.lighting_setup && request.lighting_setup[role];
    if (light) setup[role] = normaliseLight(role, light, conventions);
  }
  const cam = request.camera_settings || {};
  return {
    subject_description: request.subject_description || 'a person',
    environment: request.environment || 'a photo studio',
    lighting_setup: setup,
    camera_settings: {
      shot_type: cam.shot_type || 'medium close-up',
      camera_angle: cam.camera_angle || 'eye-level',
      focal_length: num(cam.focal_length, 85),
      aperture: num(cam.aperture, 4),
      iso: num(cam.iso, 100),
      shutter: num(cam.shutter, 1 / 125),
      white_balance: num(cam.white_balance, 5600),
      lens_type: cam.lens_type || null,
    },
    subject_yaw: num(request.subject_yaw, 0),
    subject_eye_height: num(request.subject_eye_height, conventions.stands.default_eye_height_m),
    background_distance: num(request.background_distance, 1.5),
    backdrop_color: request.backdrop_color || null,
  };
}

/** The SceneRequest JSON the API takes (lights in the order of `roles`). */
export function toRequest(scene, roles) {
  const setup = {};
  for (const role of roles) {
    const l = scene.lighting_setup[role];
    if (!l) continue;
    setup[role] = {
      azimuth: l.azimuth,
      elevation: l.elevation,
      distance: l.distance,
      intensity: l.intensity,
      color_temperature: l.color_temperature,
      modifier: l.modifier,
      modifier_size: l.modifier_size,
      enabled: l.enabled,
    };
    if (l.power) setup[role].power = { ...l.power };
  }
  const cam = scene.camera_settings;
  const camera = {
    shot_type: cam.shot_type,
    camera_angle: cam.camera_angle,
    focal_length: cam.focal_length,
    aperture: cam.aperture,
    iso: cam.iso,
    shutter: cam.shutter,
    white_balance: cam.white_balance,
  };
  if (cam.lens_type) camera.lens_type = cam.lens_type;
  return {
    subject_description: scene.subject_description,
    environment: scene.environment,
    lighting_setup: setup,
    camera_settings: camera,
    subject_yaw: scene.subject_yaw,
    subject_eye_height: scene.subject_eye_height,
    background_distance: scene.background_distance,
    backdrop_color: scene.backdrop_color,
  };
}

/** Used when the server cannot give presets (no key yet): one soft key, 45° camera-left. */
export function fallbackScene(conventions) {
  return normaliseScene({ lighting_setup: { key: defaultLight('key', null, conventions) } }, conventions);
}

const clone = (value) => structuredClone(value);

export class Store {
  /** `conventions`: the API's vocabulary and scales (conventions.js). */
  constructor(conventions) {
    this.conventions = conventions;
    this.scene = fallbackScene(conventions);
    this.version = 0;
    this.selected = 'key';
    this.analysis = null;
    this.analysisVersion = -1;
    /** {name, title, description} while the scene is an untouched preset. */
    this.preset = null;
    /** The generation "Re-light this" loaded, while its setup is being re-lit. */
    this.relight = null;
    /** {name, dataUrl}: the photograph to re-light with the setup, while one is chosen. */
    this.photo = null;
    this.past = [];
    this.future = [];
    this.coalescing = false;
    this.listeners = new Set();
  }

  /** listener(change, store); change says what changed: scene, selection, analysis, ...;
   * liveEnd: a live change (drag, slider) ended, the scene as it was left is final. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change) {
    for (const listener of this.listeners) listener(change, this);
  }

  request() {
    return toRequest(this.scene, this.conventions.roles);
  }

  light(role = this.selected) {
    return role ? this.scene.lighting_setup[role] || null : null;
  }

  /** Change the scene through `mutate(draft)`. `live` changes (a drag, a slider moving) are
   * coalesced into one undo step, closed by endLive(). */
  update(mutate, { live = false, source = 'edit', keepPreset = false } = {}) {
    const before = JSON.stringify(this.scene);
    const draft = clone(this.scene);
    mutate(draft);
    if (JSON.stringify(draft) === before) return false;
    if (!live || !this.coalescing) this.pushHistory(before);
    this.coalescing = live;
    this.scene = draft;
    if (!keepPreset) this.preset = null;
    this.changed({ scene: true, source });
    return true;
  }

  /** The end of a drag or of a slider's travel: the next change is a new undo step. */
  endLive() {
    if (this.coalescing) {
      this.coalescing = false;
      this.persist();
      this.emit({ liveEnd: true }); // the preview asks for its full frame now
    }
  }

  /** Replace the whole scene (a preset, a translation, a generation's setup). */
  load(request, { source = 'load', preset = null, select } = {}) {
    const before = JSON.stringify(this.scene);
    this.pushHistory(before);
    this.coalescing = false;
    this.scene = normaliseScene(request, this.conventions);
    this.preset = preset;
    const roles = Object.keys(this.scene.lighting_setup);
    if (select && roles.includes(select)) this.selected = select;
    else if (!roles.includes(this.selected)) this.selected = roles.includes('key') ? 'key' : roles[0] || null;
    this.changed({ scene: true, selection: true, source });
  }

  pushHistory(snapshot) {
    this.past.push(snapshot);
    if (this.past.length > HISTORY_LIMIT) this.past.shift();
    this.future = [];
  }

  canUndo() { return this.past.length > 0; }
  canRedo() { return this.future.length > 0; }

  undo() {
    if (!this.past.length) return;
    this.future.push(JSON.stringify(this.scene));
    this.restore(this.past.pop(), 'undo');
  }

  redo() {
    if (!this.future.length) return;
    this.past.push(JSON.stringify(this.scene));
    this.restore(this.future.pop(), 'redo');
  }

  restore(snapshot, source) {
    this.coalescing = false;
    this.scene = JSON.parse(snapshot);
    this.preset = null;
    if (!this.scene.lighting_setup[this.selected]) {
      this.selected = Object.keys(this.scene.lighting_setup)[0] || null;
    }
    this.changed({ scene: true, selection: true, source });
  }

  changed(change) {
    this.version += 1;
    if (!this.coalescing) this.persist();
    this.emit(change);
  }

  /** The user chose a light (in the diagram, the row of lights, or by adding it). */
  select(role) {
    if (this.selected === role) return;
    this.selected = role;
    this.emit({ selection: true, chosen: true });
  }

  addLight(role) {
    if (this.scene.lighting_setup[role]) return;
    const light = defaultLight(role, this.scene, this.conventions);
    this.update((s) => { s.lighting_setup[role] = light; }, { source: 'add' });
    this.select(role);
  }

  removeLight(role) {
    if (!this.scene.lighting_setup[role] || Object.keys(this.scene.lighting_setup).length < 2) return;
    this.update((s) => { delete s.lighting_setup[role]; }, { source: 'remove' });
    const roles = this.conventions.roles.filter((r) => this.scene.lighting_setup[r]);
    this.selected = roles.includes('key') ? 'key' : roles[0];
    this.emit({ selection: true });
  }

  setAnalysis(analysis, version) {
    this.analysis = analysis;
    this.analysisVersion = version;
    this.emit({ analysis: true });
  }

  /** Re-light an earlier generation (a record), or nothing (null); a chosen photo goes. */
  setRelight(record) {
    this.relight = record;
    if (record) this.photo = null;
    this.emit({ relight: true });
  }

  /** Re-light a photograph ({name, dataUrl}) with the setup, or nothing (null). */
  setPhoto(photo) {
    this.photo = photo;
    if (photo) this.relight = null;
    this.emit({ relight: true });
  }

  persist() {
    try {
      localStorage.setItem(SCENE_STORAGE, JSON.stringify({ scene: this.scene, preset: this.preset }));
    } catch {
      // storage full or disabled: the studio works without it
    }
  }

  /** {scene, preset} as the last visit left them, or null. */
  static saved(conventions) {
    try {
      const raw = localStorage.getItem(SCENE_STORAGE);
      if (!raw) return null;
      const saved = JSON.parse(raw);
      const scene = normaliseScene(saved.scene, conventions);
      if (!Object.keys(scene.lighting_setup).length) return null;
      return { scene, preset: saved.preset || null };
    } catch {
      return null; // an old or damaged entry: start from a preset
    }
  }
}
