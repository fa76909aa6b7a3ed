import type { DemoUser } from './users';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto}label,input,button{display:block;margin:.4rem 0}</style>
</head><body>${body}</body></html>`;

/**
 * Posts `form[data-csrf]` forms with fetch, echoing the readable csrf-token cookie in
 * X-CSRF-Token: the cookie-authenticated writes (logout) need it, and a cross-site
 * page cannot read the cookie to forge it.
 */
const CSRF_FORMS = `<script>
for (const form of document.querySelectorAll('form[data-csrf]')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('csrf-token='))?.slice(11) ?? '';
    const response = await fetch(form.action, { method: 'POST', headers: { 'X-CSRF-Token': csrf } });
    location.href = response.redirected ? response.url : '/login';
  });
}
</script>`;

export function loginPage(error?: string, email = ''): string {
  return page(
    'Log in',
    `<h1>Log in</h1>${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/login">
  <label>Email <input name="username" type="email" autocomplete="username" value="${escapeHtml(email)}" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <label><input name="remember" type="checkbox"> Remember me</label>
  <button>Log in</button>
</form>
<p>Try johndoe@e.mail / hunter2.</p>`,
  );
}

export function homePage(user: DemoUser): string {
  return page(
    'Home',
    `<h1>Hello, ${escapeHtml(user.name)}</h1>
<p>You are logged in as ${escapeHtml(user.email)}.</p>
<form method="post" action="/logout" data-csrf><button>Log out</button></form>
<form method="post" action="/logout-everywhere" data-csrf><button>Log out everywhere</button></form>
${CSRF_FORMS}`,
  );
}
