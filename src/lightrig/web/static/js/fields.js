// A labelled number with a slider beside it: the slider for feel (on a linear, logarithmic or
// mired scale), the box for an exact value. Typing a value out of range says so in words.

import { h } from './dom.js';

const SLIDER_STEPS = 1000;

const scales = {
  linear: (min, max) => ({
    to: (v) => ((v - min) / (max - min)) * SLIDER_STEPS,
    from: (p) => min + ((max - min) * p) / SLIDER_STEPS,
  }),
  // distances and sizes: equal travel is an equal ratio (every stop of falloff as wide)
  log: (min, max) => ({
    to: (v) => (Math.log(v / min) / Math.log(max / min)) * SLIDER_STEPS,
    from: (p) => min * (max / min) ** (p / SLIDER_STEPS),
  }),
  // colour temperature: equal travel is an equal number of mireds (an equal change of colour)
  mired: (min, max) => ({
    to: (v) => ((1e6 / min - 1e6 / v) / (1e6 / min - 1e6 / max)) * SLIDER_STEPS,
    from: (p) => 1e6 / (1e6 / min - ((1e6 / min - 1e6 / max) * p) / SLIDER_STEPS),
  }),
};

let serial = 0;

export class NumberField {
  /**
   * label, unit, min, max, step (of the number box), digits (shown), scale: linear|log|mired,
   * valueText(v) for screen readers, onInput(v, {live}) — live while the slider moves.
   */
  constructor({ id, label, unit = '', min, max, step = 1, digits = 0, scale = 'linear', valueText, onInput, hint }) {
    Object.assign(this, { min, max, step, digits, valueText, onInput, label, unit });
    this.id = id || `field-${++serial}`;
    this.map = scales[scale](min, max);
    const labelId = `${this.id}-label`;
    this.range = h('input', {
      type: 'range', min: 0, max: SLIDER_STEPS, step: 1, class: 'range',
      id: `${this.id}-range`, 'aria-labelledby': labelId,
    });
    this.number = h('input', {
      type: 'number', class: 'num', id: this.id, min, max, step, inputmode: 'decimal',
      'aria-describedby': `${this.id}-error`,
    });
    this.error = h('p', { class: 'field-error', id: `${this.id}-error`, 'aria-live': 'polite' });
    this.note = h('p', { class: 'field-note', id: `${this.id}-note` });
    this.element = h('div', { class: 'field' },
      h('label', { for: this.id, id: labelId, class: 'field-label' }, label),
      this.range,
      h('span', { class: 'num-wrap' }, this.number, unit ? h('span', { class: 'unit', 'aria-hidden': 'true' }, unit) : null),
      this.error,
      this.note);
    if (hint) this.element.title = hint;

    this.range.addEventListener('input', () => {
      const value = this.snap(this.map.from(Number(this.range.value)));
      this.show(value, { keepRange: true });
      this.onInput(value, { live: true });
    });
    this.range.addEventListener('change', () => this.onInput(this.value, { live: false, end: true }));
    this.number.addEventListener('change', () => this.typed());
    this.number.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.typed();
    });
  }

  snap(value) {
    const factor = 10 ** this.digits;
    return Math.min(this.max, Math.max(this.min, Math.round(value * factor) / factor));
  }

  typed() {
    const raw = this.number.value.trim();
    const value = Number(raw);
    if (raw === '' || !Number.isFinite(value) || value < this.min || value > this.max) {
      this.error.textContent = `${this.label} must be a number from ${this.min} to ${this.max}${this.unit ? ` ${this.unit}` : ''}.`;
      this.number.setAttribute('aria-invalid', 'true');
      return;
    }
    this.error.textContent = '';
    this.number.removeAttribute('aria-invalid');
    this.show(value);
    this.onInput(value, { live: false, end: true });
  }

  /** Show a value from the state (unless the user is typing in the box). */
  show(value, { keepRange = false } = {}) {
    this.value = value;
    if (!keepRange) this.range.value = String(Math.round(this.map.to(value)));
    if (document.activeElement !== this.number) {
      this.number.value = String(Number(value.toFixed(this.digits)));
      this.error.textContent = '';
      this.number.removeAttribute('aria-invalid');
    }
    this.range.setAttribute('aria-valuetext', this.valueText ? this.valueText(value) : `${value} ${this.unit}`);
  }

  setNote(text) {
    if (this.note.textContent !== text) this.note.textContent = text || '';
  }

  set disabled(on) {
    this.range.disabled = on;
    this.number.disabled = on;
  }
}
