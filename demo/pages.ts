import type { DemoUser } from './users';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto}label,input,button{display:block;margin:.4rem 0}</style>
</head><body>${body}</body></html>`;

export function loginPage(error?: string): string {
  return page(
    'Log in',
    `<h1>Log in</h1>${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/login">
  <label>Email <input name="username" type="email" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
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
<form method="post" action="/logout"><button>Log out</button></form>`,
  );
}
