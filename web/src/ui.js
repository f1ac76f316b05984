// Small DOM helpers: the console builds its pages from plain elements, so
// every text from the API goes in as text (textContent), never as HTML.

// h('div.card', {onclick}, child, ...): an element; strings become text nodes.
export function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'text') el.textContent = v;
      else if (k in el && k !== 'list' && k !== 'for' && !k.startsWith('aria') && !k.startsWith('data')) el[k] = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

// A table from rows and columns [{title, value(row) -> text or Node}].
export function table(caption, columns, rows, empty = 'Nothing here.') {
  if (!rows.length) return h('p.empty', null, empty);
  return h('table', null,
    caption ? h('caption', null, caption) : null,
    h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c.title)))),
    h('tbody', null, rows.map((r) => h('tr', null, columns.map((c) => h('td', null, c.value(r)))))));
}

export function toast(text) {
  const t = document.getElementById('toast');
  t.textContent = text;
  t.classList.add('on');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('on'), 4000);
}

// "2 d 4 h", "5 h 12 min", "12 min": a duration in words, for countdowns.
export function duration(ms) {
  const past = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400); s -= d * 86400;
  const hr = Math.floor(s / 3600); s -= hr * 3600;
  const min = Math.floor(s / 60);
  const text = d ? `${d} d ${hr} h` : hr ? `${hr} h ${min} min` : `${min} min`;
  return past ? `${text} ago` : text;
}

export function when(iso) {
  if (!iso) return '';
  return iso.replace('T', ' ').replace(/:\d\dZ$/, ' UTC').replace(/Z$/, ' UTC');
}

export function statusBadge(status) {
  return h(`span.badge.s-${String(status).replace(/[^a-z_]/g, '')}`, null, status);
}

export function reasonsList(reasons) {
  if (!reasons || !reasons.length) return h('p.empty', null, 'No reasons: nothing held it.');
  return h('ul.reasons', null, reasons.map((r) =>
    h('li', null, h('code', null, r.code), ' ', r.detail || '')));
}
