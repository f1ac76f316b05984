// The console talks to genuine's public HTTP API only, with the key the user
// signed in with (kept in sessionStorage: gone when the tab closes).
const KEY = 'genuine.key';

export function key() { return sessionStorage.getItem(KEY) || ''; }
export function setKey(k) { if (k) sessionStorage.setItem(KEY, k); else sessionStorage.removeItem(KEY); }

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

export async function api(path, { method = 'GET', body, text = false } = {}) {
  const headers = {};
  if (key()) headers.Authorization = `Bearer ${key()}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method, headers, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  const raw = await res.text();
  if (!res.ok) {
    let message = raw;
    try { message = JSON.parse(raw).error || raw; } catch { /* not JSON */ }
    throw new ApiError(res.status, message);
  }
  if (text) return raw;
  return raw ? JSON.parse(raw) : null;
}

// Posts events; returns the results, throwing the first rejection's reason.
export async function post(events) {
  const reply = await api('/v1/events', { method: 'POST', body: events });
  const bad = reply.results.find((r) => r.status === 'rejected');
  if (bad) throw new ApiError(200, bad.error);
  return reply.results;
}

// An event id of the console's own: the time and a random part.
export function eventId(kind) {
  const r = crypto.getRandomValues(new Uint32Array(2));
  return `console-${kind}-${Date.now().toString(36)}-${r[0].toString(36)}${r[1].toString(36)}`;
}

export function nowIso() { return new Date().toISOString().replace(/\.\d+Z$/, 'Z'); }
