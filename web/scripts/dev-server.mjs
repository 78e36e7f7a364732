// Development stand-in for the server side of web-contract.md (NOT shipped): serves
// dist/ with the contract's headers, implements /api/session, /api/login, /api/logout
// and /api/preferences in memory, and forwards DAV requests to a real Agora with Basic
// auth once the session cookie and the X-Agora-CSRF header check out. The password is
// checked by a Basic-auth PROPFIND against that Agora (so its throttling applies).
// The rest of /api/ (trash, devices…) goes to that Agora's own JSON API, through an
// Agora session the dev server opens with the same credentials at sign-in.
//
//   AGORA_URL=http://127.0.0.1:8008 PORT=8080 node scripts/dev-server.mjs
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const upstream = new URL(process.env.AGORA_URL ?? 'http://127.0.0.1:8008');
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const PAGE_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png' };

/** token -> { login, basic, csrf, prefs key } */
const sessions = new Map();
/** login -> preferences object */
const preferences = new Map();

const json = (res, status, body, extra = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  res.end(body === undefined ? '' : JSON.stringify(body));
};

function cookieToken(req) {
  const m = (req.headers.cookie ?? '').match(/(?:^|;\s*)agora_session=([A-Za-z0-9_-]+)/);
  return m ? m[1] : null;
}

async function readBody(req, limit = 1 << 24) {
  const chunks = [];
  let size = 0;
  for await (const c of req) {
    size += c.length;
    if (size > limit) throw new Error('too large');
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

function sessionBody(s) {
  return {
    login: s.login,
    displayName: s.login,
    email: `${s.login}@example.org`,
    principal: `/principals/${s.login}/`,
    calendarHome: `/calendars/${s.login}/`,
    addressbookHome: `/addressbooks/${s.login}/`,
    csrf: s.csrf,
    expiresAt: new Date(s.expires).toISOString(),
  };
}

async function api(req, res, path) {
  const token = cookieToken(req);
  const session = token ? sessions.get(token) : undefined;
  if (session && session.expires < Date.now()) sessions.delete(token);
  const live = session && session.expires >= Date.now() ? session : undefined;
  const csrfOk = live && req.headers['x-agora-csrf'] === live.csrf;

  if (path === '/api/login' && req.method === 'POST') {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return json(res, 415, { error: 'unsupported-media-type' });
    let body;
    try {
      body = JSON.parse((await readBody(req, 65536)).toString('utf8'));
    } catch {
      return json(res, 400, { error: 'bad-request' });
    }
    if (typeof body?.login !== 'string' || typeof body?.password !== 'string') return json(res, 400, { error: 'bad-request' });
    const basic = 'Basic ' + Buffer.from(`${body.login}:${body.password}`).toString('base64');
    const check = await fetch(new URL('/', upstream), {
      method: 'PROPFIND',
      headers: { Authorization: basic, Depth: '0', 'Content-Type': 'application/xml' },
      body: '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>',
    });
    await check.arrayBuffer();
    if (check.status === 429) {
      const retryAfter = Number(check.headers.get('retry-after') ?? 60);
      return json(res, 429, { error: 'throttled', retryAfter }, { 'Retry-After': String(retryAfter) });
    }
    if (check.status === 401 || check.status === 403) return json(res, 401, { error: 'bad-credentials' });
    if (check.status !== 207) return json(res, 502, { error: 'upstream', message: `agora answered ${check.status}` });
    const tok = randomBytes(32).toString('base64url');
    const s = { login: body.login.toLowerCase(), basic, csrf: randomBytes(32).toString('base64url'), expires: Date.now() + 12 * 3600 * 1000 };
    s.upstream = await upstreamSession(body.login, body.password);
    sessions.set(tok, s);
    return json(res, 200, sessionBody(s), { 'Set-Cookie': `agora_session=${tok}; HttpOnly; SameSite=Strict; Path=/` });
  }
  if (path === '/api/session' && req.method === 'GET') {
    return live ? json(res, 200, sessionBody(live)) : json(res, 401, { error: 'signed-out' });
  }
  // How one may sign in is public: Agora's own answer (password, identity provider).
  if (path === '/api/sign-in' && req.method === 'GET') return forwardApi(req, res, { cookie: '', csrf: '' });
  if (!live) return json(res, 401, { error: 'signed-out' });
  if (!csrfOk) return json(res, 403, { error: 'csrf' });
  if (path === '/api/logout' && req.method === 'POST') {
    sessions.delete(token);
    res.writeHead(204, { 'Set-Cookie': 'agora_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0' });
    return res.end();
  }
  if (path === '/api/preferences' && req.method === 'GET') return json(res, 200, preferences.get(live.login) ?? {});
  if (path === '/api/preferences' && req.method === 'PUT') {
    const raw = await readBody(req, 16384).catch(() => null);
    let prefs;
    try {
      prefs = JSON.parse(raw?.toString('utf8') ?? '');
    } catch {
      return json(res, 400, { error: 'bad-request' });
    }
    if (typeof prefs !== 'object' || prefs === null || Array.isArray(prefs)) return json(res, 400, { error: 'bad-request' });
    preferences.set(live.login, prefs);
    return json(res, 200, prefs);
  }
  if (live.upstream) return forwardApi(req, res, live.upstream, live);
  return json(res, 404, { error: 'not-found' });
}

/** An Agora session for the JSON endpoints this stand-in does not implement; null if
 * that Agora has no JSON API (or refuses). */
async function upstreamSession(login, password) {
  try {
    const r = await fetch(new URL('/api/login', upstream), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ login, password }),
    });
    const data = await r.json().catch(() => null);
    const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
    return r.ok && data?.csrf && cookie ? { cookie, csrf: data.csrf } : null;
  } catch {
    return null;
  }
}

async function forwardApi(req, res, up, live) {
  const headers = up.cookie ? { cookie: up.cookie, 'x-agora-csrf': up.csrf } : {};
  for (const h of ['content-type', 'accept', 'accept-language']) if (req.headers[h]) headers[h] = req.headers[h];
  const sentBody = ['GET', 'HEAD', 'DELETE'].includes(req.method) ? undefined : await readBody(req, 1 << 20);
  const r = await fetch(new URL(req.url, upstream), { method: req.method, headers, body: sentBody, redirect: 'manual' });
  const out = { 'Cache-Control': 'no-store' };
  for (const h of ['content-type', 'retry-after', 'content-disposition']) if (r.headers.get(h)) out[h] = r.headers.get(h);
  let data = Buffer.from(await r.arrayBuffer());
  // A revocation or a password change ends Agora's sessions and answers with a new one:
  // the dev server keeps it for itself and gives the page its own CSRF token instead.
  const renewed = (r.headers.get('set-cookie') ?? '').split(';')[0];
  if (renewed && (out['content-type'] ?? '').startsWith('application/json')) {
    const body = JSON.parse(data.toString('utf8'));
    if (body?.session?.csrf) {
      up.cookie = renewed;
      up.csrf = body.session.csrf;
      body.session.csrf = req.headers['x-agora-csrf'];
      // A new password: DAV requests go on with it.
      const sent = req.url === '/api/password' && sentBody ? JSON.parse(sentBody.toString('utf8')) : null;
      if (live && typeof sent?.new === 'string') live.basic = 'Basic ' + Buffer.from(`${live.login}:${sent.new}`).toString('base64');
      data = Buffer.from(JSON.stringify(body));
    }
  }
  res.writeHead(r.status, out);
  res.end(data);
}

async function serveFile(res, file, cache) {
  const safe = normalize(file).replace(/^(\.\.[/\\])+/, '');
  try {
    const data = await readFile(join(root, safe));
    res.writeHead(200, { 'Content-Type': TYPES[extname(safe)] ?? 'application/octet-stream', 'Cache-Control': cache, ...PAGE_HEADERS });
    res.end(data);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  }
}

async function proxy(req, res) {
  const token = cookieToken(req);
  const s = token ? sessions.get(token) : undefined;
  if (!s || s.expires < Date.now()) {
    res.writeHead(401, { 'Content-Type': 'text/plain' }); // no WWW-Authenticate: no browser prompt
    return res.end('signed out');
  }
  if (req.headers['x-agora-csrf'] !== s.csrf) {
    res.writeHead(403, { 'Content-Type': 'text/plain' });
    return res.end('missing or wrong X-Agora-CSRF');
  }
  const headers = {};
  for (const h of ['content-type', 'depth', 'if-match', 'if-none-match', 'accept', 'prefer', 'brief', 'destination', 'overwrite']) {
    if (req.headers[h]) headers[h] = req.headers[h];
  }
  headers.authorization = s.basic;
  const body = ['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(req.method) ? undefined : await readBody(req);
  const up = await fetch(new URL(req.url, upstream), { method: req.method, headers, body, redirect: 'manual' });
  const out = {};
  up.headers.forEach((v, k) => {
    if (!['www-authenticate', 'content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(k)) out[k] = v;
  });
  const data = Buffer.from(await up.arrayBuffer());
  res.writeHead(up.status, out);
  res.end(data);
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://x');
    const path = url.pathname;
    if (path.startsWith('/api/')) return await api(req, res, path);
    if (path.startsWith('/assets/') && req.method === 'GET') return await serveFile(res, path.slice(1), 'public, max-age=31536000, immutable');
    if (path === '/' && req.method === 'GET' && (req.headers.accept ?? '').includes('text/html')) return await serveFile(res, 'index.html', 'no-cache');
    return await proxy(req, res);
  } catch (e) {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
    res.end(`dev server: ${e.message}`);
  }
});
server.listen(port, host, () => console.log(`dev server on http://${host}:${port} -> ${upstream.origin}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
