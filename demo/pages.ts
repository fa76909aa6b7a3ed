import type { LoginSession } from 'routing-controllers-login';
import type { DemoUser } from './users';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small, tidy page: inline styles, no framework, no script, and no favicon request (`data:,`). */
const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f4f5f7;color:#1d2330;
  font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
main{width:min(24rem,calc(100vw - 2rem));background:#fff;border-radius:12px;padding:2rem;
  box-shadow:0 1px 3px rgba(0,0,0,.08),0 8px 24px rgba(0,0,0,.06)}
h1{font-size:1.4rem;margin:0 0 1.25rem}
label{display:block;margin:0 0 1rem;font-weight:500}
input[type=email],input[type=password]{display:block;width:100%;margin-top:.35rem;padding:.6rem .7rem;
  border:1px solid #c9ced8;border-radius:8px;font:inherit}
input:focus,button:focus{outline:2px solid #4c6fff;outline-offset:1px}
label.check{display:flex;align-items:center;gap:.5rem;font-weight:400}
button{width:100%;padding:.65rem;border:0;border-radius:8px;background:#3451d1;color:#fff;font:inherit;
  font-weight:600;cursor:pointer}
button.quiet{background:#eef0f5;color:#1d2330;margin-top:.6rem}
form+form{margin-top:0}
[role=alert]{background:#fdecec;color:#8a1c1c;border-radius:8px;padding:.6rem .8rem;margin:0 0 1rem}
.hint{color:#5b6475;font-size:.9rem;margin:1.25rem 0 0}
a{color:#3451d1}
ul.devices{list-style:none;padding:0;margin:0}
li.device{border-top:1px solid #e3e6ec;padding:.75rem 0}
li.device p{margin:0}
.label{font-weight:600;overflow-wrap:anywhere}
.this{background:#e6ecff;color:#3451d1;border-radius:6px;padding:0 .4rem;font-size:.85rem;margin-left:.4rem}
li.device .hint{margin:.2rem 0 .5rem}`;

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="icon" href="data:,"><style>${STYLE}</style>
</head><body><main>${body}</main></body></html>`;

const alert = (message?: string): string => (message ? `<p role="alert">${escapeHtml(message)}</p>` : '');

/** Every form posts its CSRF value in a hidden field: it works without JavaScript, and no other site knows it. */
const csrfField = (csrf: string): string => `<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">`;

/** The login form; it posts `next` (the page the browser asked for, from `manager.nextPath`) back in its action. */
export function loginPage(csrf: string, next: string, error?: string, email = ''): string {
  const action = next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
  return page(
    'Log in',
    `<h1>Log in</h1>${alert(error)}
<form method="post" action="${escapeHtml(action)}">${csrfField(csrf)}
  <label>Email <input name="username" type="email" autocomplete="username" value="${escapeHtml(email)}" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <label class="check"><input name="remember" type="checkbox"> Remember me</label>
  <button>Log in</button>
</form>
<p class="hint">Try johndoe@e.mail / hunter2.</p>`,
  );
}

export function homePage(user: DemoUser, csrf: string): string {
  return page(
    'Home',
    `<h1>Hello, ${escapeHtml(user.name)}</h1>
<p>You are logged in as ${escapeHtml(user.email)}.</p>
<p><a href="/devices">Your devices</a></p>
<form method="post" action="/logout">${csrfField(csrf)}<button>Log out</button></form>
<form method="post" action="/logout-everywhere">${csrfField(csrf)}<button class="quiet">Log out everywhere</button></form>`,
  );
}

/** A time as the page shows it, the same for every reader: `2030-01-01 12:00 UTC`. */
const when = (date: Date): string => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** One login: its label (what its browser said: escaped), its times, this device marked, a button to end it. */
function deviceItem(session: LoginSession, csrf: string): string {
  const marker = session.current ? ' <span class="this">This device</span>' : '';
  return `<li class="device${session.current ? ' current' : ''}">
  <p><span class="label">${escapeHtml(session.label ?? 'Unnamed device')}</span>${marker}</p>
  <p class="hint">Logged in ${when(session.startedAt)}, last refreshed ${when(session.lastRefreshedAt)}</p>
  <form method="post" action="/devices/end">${csrfField(csrf)}<input type="hidden" name="id" value="${escapeHtml(session.id)}">
    <button class="quiet">${session.current ? 'Log out this device' : 'Log out'}</button></form>
</li>`;
}

export function devicesPage(sessions: LoginSession[], csrf: string): string {
  return page(
    'Your devices',
    `<h1>Your devices</h1>
<ul class="devices">${sessions.map((session) => deviceItem(session, csrf)).join('\n')}</ul>
<p><a href="/">Back to your page</a></p>`,
  );
}

/** What a browser sees when a form post failed: what happened, and that nothing changed. */
export function failurePage(title: string, message: string, link: { href: string; text: string }): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>${alert(message)}
<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>`,
  );
}
