// Does a generated image follow the requested light? The server reads each image's light back
// and scores it against the preview of the request (`record.adherence`: 0–1 overall and per
// attribute, a verdict and findings in words, or null when it was not checked). Shown here as a
// badge on the gallery image and, in the card, each attribute's score and finding.

import { h } from './dom.js';
import { title } from './format.js';

/** Bands of the overall score, as the server's verdict draws them (0.8 and up, 0.5 and up). */
const BANDS = [
  { band: 'follows', from: 80 },
  { band: 'partly', from: 50 },
  { band: 'no', from: 0 },
];
const ATTRIBUTE_NAMES = {
  key_side: 'Key side', direction: 'Direction', ratio: 'Ratio', colour: 'Colour', hardness: 'Hardness',
};

const known = (value) => value !== null && value !== undefined;

/** A 0–1 score as whole percent, rounded down so that "80%" is never short of the 0.8 band. */
export const scorePercent = (score) => Math.floor(score * 100 + 1e-9);

/** 'follows', 'partly', 'no' or 'unchecked'. A clear miss on one attribute fails the picture
 *  whatever its overall score: the server's verdict then says "does not follow". */
export function adherenceBand(adherence) {
  if (!adherence || !known(adherence.overall)) return 'unchecked';
  if (adherence.verdict.startsWith('does not follow')) return 'no';
  const percent = scorePercent(adherence.overall);
  return BANDS.find((b) => percent >= b.from).band;
}

/** The badge on a gallery image: "Light 96%", coloured by band; its tooltip holds the verdict
 *  and the findings. */
export function adherenceBadge(adherence) {
  const band = adherenceBand(adherence);
  if (band === 'unchecked') {
    const why = adherence ? adherence.verdict : 'this image’s light was not read back';
    const findings = adherence ? adherence.findings.filter((f) => f !== why) : [];
    return h('span', {
      class: 'light-badge light-unchecked',
      role: 'img',
      'data-band': band,
      'aria-label': `Light not checked: ${why}`,
      title: [`Light not checked: ${why}`, ...findings.map((f) => `• ${f}`)].join('\n'),
    }, 'Light not checked');
  }
  const percent = scorePercent(adherence.overall);
  return h('span', {
    class: `light-badge light-${band}`,
    role: 'img',
    'data-band': band,
    'data-score': String(percent),
    'aria-label': `Light adherence ${percent}%: ${adherence.verdict}`,
    title: [`Light ${percent}% — ${adherence.verdict}`, ...adherence.findings.map((f) => `• ${f}`)].join('\n'),
  }, `Light ${percent}%`);
}

/** Each attribute's score and finding, folded away under the verdict; null when there is none. */
export function adherenceDetails(adherence) {
  if (!adherence) return null;
  const rows = adherence.scores.map((s) => h('li', {
    'data-attribute': s.attribute,
    title: `In the image: ${s.generated} · asked: ${s.reference}`,
  },
  h('span', { class: 'comp-name' }, ATTRIBUTE_NAMES[s.attribute] || title(s.attribute.replaceAll('_', ' '))),
  h('span', { class: 'comp-bar', 'aria-hidden': 'true' }, known(s.score) ? h('span', { style: `width:${100 * s.score}%` }) : null),
  h('span', { class: 'comp-score' }, known(s.score) ? `${scorePercent(s.score)}%` : 'not read'),
  h('span', { class: 'comp-reason' }, s.finding)));
  // a check that could not run has no scores, only its reason among the findings
  const list = rows.length
    ? h('ul', { class: 'components', 'aria-label': 'Light, attribute by attribute' }, ...rows)
    : h('ul', { class: 'check-findings' }, ...adherence.findings.map((f) => h('li', {}, f)));
  const band = adherenceBand(adherence);
  const score = band === 'unchecked' ? '' : ` ${scorePercent(adherence.overall)}%`;
  return h('details', { class: `card-check light-${band}` },
    h('summary', {}, h('b', {}, `Light check${score}`), ` — ${adherence.verdict}`),
    list);
}
