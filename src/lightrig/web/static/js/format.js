// Numbers in the words photographers use: "45° L", "+30°", "1.3 m", "−1.3 stops", "6.7:1".

const MINUS = '\u2212';

export const signed = (text, value) => (value < 0 ? `${MINUS}${text}` : text);

export function number(value, digits = 1) {
  const t = Math.abs(value).toFixed(digits);
  return Number(t) === 0 ? t : signed(t, value);
}

/** Azimuth: 0 at the camera, L/R for camera-left/right, 180° behind. */
export function azimuthText(azimuth) {
  const d = Math.round(Math.abs(azimuth));
  if (d === 0 || d === 180) return `${d}°`;
  return `${d}° ${azimuth > 0 ? 'R' : 'L'}`;
}

export function azimuthWords(azimuth) {
  const d = Math.round(Math.abs(azimuth));
  if (d === 0) return 'on the camera axis';
  if (d === 180) return 'straight behind the subject';
  return `${d}° camera-${azimuth > 0 ? 'right' : 'left'}`;
}

export function elevationText(elevation) {
  const d = Math.round(elevation);
  if (d === 0) return '0°';
  return d > 0 ? `+${d}°` : `${MINUS}${-d}°`;
}

export function distanceText(metres) {
  if (metres >= 10) return `${Math.round(metres)} m`;
  return `${String(Number(metres.toFixed(2)))} m`;
}

export const kelvinText = (k) => `${Math.round(k)} K`;
export const percentText = (fraction) => `${Math.round(fraction * 100)}%`;

export function stopsText(stops, digits = 1) {
  const t = Math.abs(stops).toFixed(digits);
  if (Number(t) === 0) return '±0 stops';
  const unit = Number(t) === 1 ? 'stop' : 'stops';
  return `${stops > 0 ? '+' : MINUS}${t} ${unit}`;
}

export function ratioText(ratio) {
  if (!Number.isFinite(ratio)) return '∞:1';
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1)}:1`;
}

/** The analysis's cap on a ratio (lighting/measure.py's MAX_RATIO): a shadow side no light
 *  reaches is measured as 1024:1 — a number for black, never a ratio to show. */
export const RATIO_CAP = 1024;

/** What every face of lightrig says when no light reaches the shadow side (the word table's
 *  NO_FILL, lighting/vocabulary/looks.py); "no fill" where room is short, this as its tooltip. */
export const NO_FILL = 'no fill: the shadow side is unlit';
export const NO_FILL_SHORT = 'no fill';

/** A ratio N in N:1, or "no fill" when it is the cap (nothing on the shadow side). */
export const cappedRatioText = (ratio) => (ratio >= RATIO_CAP ? NO_FILL_SHORT : ratioText(ratio));

/** The lit : shadow contrast of an analysis's `ratio` report, short: "4.3:1 · 2.1 stops", or
 *  "no fill" when `shadow_unlit` (its stops and ratio are then the cap, not a measurement). */
export function contrastText(report) {
  if (report.shadow_unlit) return NO_FILL_SHORT;
  return `${ratioText(report.ratio)} · ${stopsText(report.stops).replace('+', '')}`;
}

export const cmText = (metres) => `${Math.round(metres * 100)} cm`;

export const title = (t) => (t ? t[0].toUpperCase() + t.slice(1) : '');

export function money(usd) {
  if (usd === null || usd === undefined) return '—';
  if (usd === 0) return '$0.00';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function seconds(s) {
  if (s === null || s === undefined) return '';
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

export function when(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export const shortId = (id) => String(id).slice(0, 8);
