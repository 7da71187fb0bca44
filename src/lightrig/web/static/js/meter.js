// On-set numbers: a light's stated power (watt-seconds, guide number or lux at 1 m), the
// camera's ISO and shutter, and the meter's readings in f-numbers from the analysis (the server
// computes every reading: this page only shows them).

import { byId, h, replace, text } from './dom.js';
import { title } from './format.js';

const POWER_KINDS = [
  ['', 'Not stated (reference light)', ''],
  ['watt_seconds', 'Strobe, watt-seconds', 'Ws'],
  ['guide_number', 'Strobe, guide number', 'm'],
  ['lux_at_1m', 'Continuous, lux at 1 m', 'lx'],
];
const POWER_DEFAULTS = { watt_seconds: 500, guide_number: 32, lux_at_1m: 2000 };
const POWER_LIMITS = { watt_seconds: [1, 20000], guide_number: [1, 500], lux_at_1m: [1, 1000000] };
const ISOS = [50, 64, 80, 100, 125, 160, 200, 250, 320, 400, 500, 640, 800, 1000, 1250, 1600, 3200, 6400, 12800];
const SHUTTERS = [8000, 4000, 2000, 1000, 500, 250, 200, 160, 125, 100, 60, 30, 15, 8, 4, 2, 1];

export const shutterText = (seconds) => (seconds < 1 ? `1/${Math.round(1 / seconds)} s` : `${seconds} s`);

const kindOf = (power) => (power ? Object.keys(power)[0] : '');
const readingText = (reading) => (reading ? reading.text : '—');

function selectField(label, id, control) {
  return h('div', { class: 'field field-select' }, h('label', { for: id, class: 'field-label' }, label), control);
}

/** The selected light's stated power, in the inspector's Output group. */
export class PowerControls {
  constructor(group, store) {
    this.store = store;
    this.kind = h('select', { id: 'light-power-kind', onchange: () => this.changeKind() },
      ...POWER_KINDS.map(([value, label]) => h('option', { value }, label)));
    this.value = h('input', {
      type: 'number', class: 'num', id: 'light-power-value', inputmode: 'decimal', step: 'any',
      'aria-label': 'Full power', onchange: () => this.changeValue(),
    });
    this.unit = h('span', { class: 'unit', 'aria-hidden': 'true' });
    this.error = h('p', { class: 'field-error', id: 'light-power-error', 'aria-live': 'polite' });
    this.read = h('p', { class: 'readout', id: 'light-meter' });
    this.valueRow = h('span', { class: 'num-wrap' }, this.value, this.unit);
    group.append(selectField('Full power', 'light-power-kind', this.kind), this.valueRow, this.error, this.read);
    store.subscribe((change) => {
      if (change.scene || change.selection || change.analysis) this.render();
    });
    this.render();
  }

  setPower(power) {
    const role = this.store.selected;
    this.store.update((s) => {
      const light = s.lighting_setup[role];
      if (light) light.power = power;
    }, { source: 'inspector' });
  }

  changeKind() {
    const kind = this.kind.value;
    this.setPower(kind ? { [kind]: POWER_DEFAULTS[kind] } : null);
  }

  changeValue() {
    const kind = this.kind.value;
    const value = Number(this.value.value);
    const [low, high] = POWER_LIMITS[kind] || [0, 0];
    if (!kind || !Number.isFinite(value) || value < low || value > high) {
      text(this.error, `${POWER_KINDS.find(([k]) => k === kind)?.[1] || 'power'}: ${this.value.value || 'nothing'} is outside ${low}–${high}`);
      return;
    }
    text(this.error, '');
    this.setPower({ [kind]: value });
  }

  render() {
    const role = this.store.selected;
    const light = this.store.light(role);
    if (!light) return;
    const kind = kindOf(light.power);
    this.kind.value = kind;
    this.valueRow.hidden = !kind;
    if (kind && document.activeElement !== this.value) this.value.value = String(light.power[kind]);
    text(this.unit, POWER_KINDS.find(([k]) => k === kind)?.[2] || '');
    const meter = this.store.analysis?.meter;
    const mine = meter?.lights.find((l) => l.role === role);
    text(this.read, mine
      ? `${mine.power_setting} · meters ${readingText(mine.facing)} facing it${mine.power_stated ? '' : ' (reference light)'}`
      : '');
  }
}

/** ISO and shutter, in the camera pane. */
export class ExposureControls {
  constructor(pane, store) {
    this.store = store;
    this.iso = h('select', { id: 'camera-iso', onchange: () => this.set('iso', Number(this.iso.value)) },
      ...ISOS.map((v) => h('option', { value: v }, `ISO ${v}`)));
    this.shutter = h('select', { id: 'camera-shutter', onchange: () => this.set('shutter', Number(this.shutter.value)) },
      ...SHUTTERS.map((d) => h('option', { value: 1 / d }, shutterText(1 / d))));
    this.read = h('p', { class: 'readout', id: 'camera-exposure' });
    pane.append(h('fieldset', { class: 'group', id: 'grp-exposure' }, h('legend', {}, 'Exposure'),
      selectField('ISO', 'camera-iso', this.iso), selectField('Shutter', 'camera-shutter', this.shutter), this.read));
    store.subscribe((change) => {
      if (change.scene || change.analysis) this.render();
    });
    this.render();
  }

  set(key, value) {
    this.store.update((s) => { s.camera_settings[key] = value; }, { source: 'camera' });
  }

  /** Keep a value the list lacks (from a preset or an import) as an option of its own. */
  static choose(select, value, label) {
    const found = [...select.options].find((o) => Math.abs(Number(o.value) - value) < 1e-9);
    if (found) select.value = found.value;
    else {
      select.append(h('option', { value }, label));
      select.value = String(value);
    }
  }

  render() {
    const cam = this.store.scene.camera_settings;
    ExposureControls.choose(this.iso, cam.iso, `ISO ${cam.iso}`);
    ExposureControls.choose(this.shutter, cam.shutter, shutterText(cam.shutter));
    const meter = this.store.analysis?.meter;
    text(this.read, meter ? `Face meters ${readingText(meter.lit)} at f/${meter.aperture}: ${meter.exposure}` : '');
  }
}

/** The meter's readings, a section of the analysis panel. */
export class MeterView {
  constructor(body, store) {
    this.store = store;
    this.table = h('table', { class: 'light-table', id: 'meter-table' });
    this.facts = h('ul', { class: 'recommendations', id: 'meter-facts' });
    body.append(h('section', { class: 'sub-section', 'aria-labelledby': 'h-meter' },
      h('h3', { id: 'h-meter' }, 'Meter'), this.table, this.facts));
    store.subscribe((change) => {
      if (change.analysis) this.render();
    });
  }

  render() {
    const meter = this.store.analysis?.meter;
    if (!meter) return;
    const roles = this.store.conventions.roleInfo;
    const head = `ISO ${meter.iso} · ${meter.shutter_text}`;
    replace(this.table,
      h('caption', { class: 'muted small' }, `Incident readings at ${head}`),
      h('thead', {}, h('tr', {}, ...['Light', 'Power', 'Lit side', 'Shadow side'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {},
        ...meter.lights.map((l) => h('tr', { style: `--accent:${roles[l.role]?.accent || '#999'}`, 'data-role': l.role },
          h('th', { scope: 'row' }, h('span', { class: 'role-dot small', 'aria-hidden': 'true' }), roles[l.role]?.label || title(l.role)),
          h('td', {}, `${l.power_setting}${l.power_stated ? '' : ' *'}`),
          h('td', {}, readingText(l.lit)),
          h('td', {}, readingText(l.shadow)))),
        h('tr', { class: 'total' }, h('th', { scope: 'row' }, 'All together'), h('td', {}, ''),
          h('td', { id: 'meter-lit' }, readingText(meter.lit)), h('td', { id: 'meter-shadow' }, readingText(meter.shadow)))));
    const facts = [
      `Exposure at f/${meter.aperture}: ${meter.exposure}.`,
      `Backdrop meters ${readingText(meter.backdrop)}.`,
      `For f/${meter.target_aperture}: ${meter.power_change}.`,
    ];
    if (meter.lights.some((l) => !l.power_stated)) facts.push('* No power stated: read as the reference light, f/16 at 1 m at full power (set Full power in the light’s Output).');
    replace(this.facts, ...[...facts, ...meter.notes.filter((n) => !n.includes('no power stated'))].map((f) => h('li', {}, f)));
  }
}

/** Mount the three: after the inspector and the analysis panel are built. */
export function mountMeter(store) {
  new PowerControls(byId('grp-output'), store);
  new ExposureControls(byId('pane-camera'), store);
  new MeterView(byId('analysis-body'), store);
}
