// Tiny DOM helpers: build elements declaratively without a framework.

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(node, props) {
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.setAttribute('class', value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name === 'text') node.textContent = value;
    else if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An HTML element: h('button', {class: 'x', onclick: fn}, 'Label'). */
export function h(tag, props, ...children) {
  const node = document.createElement(tag);
  apply(node, props);
  return append(node, children);
}

/** An SVG element, same calling convention as h(). */
export function s(tag, props, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  apply(node, props);
  return append(node, children);
}

/** Set several attributes at once; null or undefined removes one. */
export function attrs(node, values) {
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === undefined) node.removeAttribute(name);
    else node.setAttribute(name, String(value));
  }
}

export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}

/** Replace all children of node. */
export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

/** Set textContent only when it changed (keeps screen readers and layout calm). */
export function text(node, value) {
  const next = value === null || value === undefined ? '' : String(value);
  if (node.textContent !== next) node.textContent = next;
}
