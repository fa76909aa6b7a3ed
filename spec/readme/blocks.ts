import { block, compile, readmeTsconfig } from './source';

/**
 * How each TypeScript block of README.md is used. Every ```ts block sits between
 * `<!-- name:start -->` and `<!-- name:end -->` markers and has an entry here, or
 * spec/readme/examples.spec.ts fails: a new example is compiled (and, in an app, run) from the day it is written.
 *
 * - `file`: a complete file, as the reader saves it; its first line (`// users.ts`) names it.
 * - `edit`: lines the README says change `app.ts`, applied as the Guides section says (see `applyEdit`).
 * - `tail`: the end of `app.ts` from the line `from` on, replaced by the block (Koa); the line `remove` deleted.
 * - `fragment`: code that is not a file (a page's script), compiled inside `prelude`.
 */
export type Block =
  | { kind: 'file' }
  | { kind: 'edit' }
  | { kind: 'tail'; from: string; remove: string }
  | { kind: 'fragment'; prelude: Prelude };

export interface Prelude {
  head: string;
  tail?: string;
}

/** A page's script: the README's tsconfig has the DOM library (no `lib`), so only its place needs declaring. */
const BROWSER: Prelude = {
  head: 'export {};\nasync function inThePage() {\n',
  tail: '}\nvoid inThePage;\n',
};

const file: Block = { kind: 'file' };
const edit: Block = { kind: 'edit' };

export const BLOCKS: Record<string, Block> = {
  users: file,
  auth: file,
  quickstart: file,
  routes: file,
  'routes-app': edit,
  'step-up': file,
  'step-up-app': edit,
  'by-default': file,
  'by-default-app': edit,
  cookies: file,
  'cookies-app': edit,
  'csrf-fetch': { kind: 'fragment', prelude: BROWSER },
  sessions: file,
  devices: file,
  'devices-app': edit,
  redis: edit,
  'redis-mirror': edit,
  throttle: file,
  audit: file,
  'audit-app': edit,
  metrics: file,
  'metrics-app': edit,
  keys: edit,
  'keys-rotation': edit,
  koa: { kind: 'tail', from: 'const app = express();', remove: "import express from 'express';" },
  'plain-express': file,
  openapi: file,
  'openapi-app': edit,
  'auth-service': edit,
  'resource-service': file,
  provider: edit,
  issuers: edit,
  dpop: file,
  'dpop-app': edit,
  'dpop-client': file,
};

const QUICKSTART = ['users', 'auth', 'quickstart'];
const COOKIES = [...QUICKSTART, 'cookies', 'cookies-app'];
const SESSIONS = [...QUICKSTART, 'sessions'];

/**
 * Every app of the README, as the reader builds it: the blocks in order, each file block
 * saving its file (a later one replacing an earlier of the same name, as the sessions
 * guide's `auth.ts` replaces the quickstart's), each edit or tail block changing `app.ts`.
 */
export const APPS: Record<string, string[]> = {
  quickstart: QUICKSTART,
  routes: [...QUICKSTART, 'routes', 'routes-app'],
  'step-up': [...QUICKSTART, 'step-up', 'step-up-app'],
  'by-default': [...QUICKSTART, 'by-default', 'by-default-app'],
  cookies: COOKIES,
  sessions: SESSIONS,
  devices: [...SESSIONS, 'devices', 'devices-app'],
  redis: [...SESSIONS, 'redis'],
  'redis-mirror': [...SESSIONS, 'redis', 'redis-mirror'],
  throttle: [...QUICKSTART, 'throttle'],
  audit: [...QUICKSTART, 'audit', 'audit-app'],
  metrics: [...QUICKSTART, 'metrics', 'metrics-app'],
  keys: [...QUICKSTART, 'keys'],
  'keys-rotation': [...QUICKSTART, 'keys', 'keys-rotation'],
  koa: [...QUICKSTART, 'koa'],
  'plain-express': ['plain-express'],
  openapi: [...QUICKSTART, 'openapi', 'openapi-app'],
  'auth-service': [...QUICKSTART, 'auth-service'],
  'resource-service': ['resource-service'],
  provider: ['resource-service', 'provider'],
  issuers: ['resource-service', 'issuers'],
  dpop: [...QUICKSTART, 'dpop', 'dpop-app', 'dpop-client'],
};

/** The file name a file block gives itself on its first line: `// users.ts` or `// app.ts: ...`. */
export function fileName(name: string): string {
  const first = /^\/\/ ([\w.-]+\.ts)\b/.exec(block(name));
  if (!first) throw new Error(`README block ${name} does not start with a \`// <file>.ts\` line naming its file`);
  return first[1] as string;
}

/** A top-level statement of a source: its lines `start` to `end` (inclusive), comments above it included. */
interface Statement {
  start: number;
  end: number;
  lines: string[];
}

/** A line of a `/** ... *\/` comment (its text may hold an apostrophe, which is no string). */
const isDocComment = (line: string): boolean => /^\s*(\/\*|\*)/.test(line);

/** A line's code without its `//` comment, and its brackets opened minus closed (strings and templates skipped). */
function scan(line: string): { code: string; depth: number } {
  if (isDocComment(line)) return { code: '', depth: 0 };
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === '/' && line[i + 1] === '/') return { code: line.slice(0, i).trim(), depth };
    if (c === "'" || c === '"' || c === '`') {
      const close = line.indexOf(c, i + 1);
      i = close < 0 ? line.length : close;
    } else if ('({['.includes(c)) depth++;
    else if (')}]'.includes(c)) depth--;
  }
  return { code: line.trim(), depth };
}

/** The top-level statements of `source`: each ends on a line back at depth 0 whose code ends with `;` or `}`. */
function statements(source: string): Statement[] {
  const lines = source.split('\n');
  const found: Statement[] = [];
  let start: number | undefined;
  let depth = 0;
  lines.forEach((line, i) => {
    if (start === undefined && line.trim() === '') return;
    start ??= i;
    const { code, depth: change } = scan(line);
    depth += change;
    if (depth === 0 && /[;}]$/.test(code)) {
      found.push({ start, end: i, lines: lines.slice(start, i + 1) });
      start = undefined;
    }
  });
  if (start !== undefined) throw new Error(`a statement that never ends:\n${lines.slice(start).join('\n')}`);
  return found;
}

/** The code of a statement without the comment lines above it. */
const head = (statement: Statement): string =>
  statement.lines.find((line) => !line.trim().startsWith('//') && !isDocComment(line))?.trimStart() ?? '';

/** What a statement of an edit replaces: `const manager = `, `useExpressServer(`, ...; undefined when it adds. */
function replaces(code: string): string | undefined {
  return /^(const \w+ = |useExpressServer\(|useKoaServer\()/.exec(code)?.[1];
}

/**
 * `app.ts` with an edit block applied as the README's Guides section says: an `import` is added
 * after the others, a statement `app.ts` already has (`const manager = ...`, `useExpressServer(...)`)
 * replaces it, and anything else goes right after `useExpressServer(...)`.
 */
export function applyEdit(app: string, editCode: string, name: string): string {
  let lines = app.split('\n');
  const fail = (why: string): never => {
    throw new Error(`README block ${name}: ${why}`);
  };
  const find = (prefix: string) =>
    statements(lines.join('\n')).find((statement) => head(statement).startsWith(prefix)) ??
    fail(`app.ts has no statement starting \`${prefix}\``);
  const splice = (at: number, remove: number, added: string[]) => {
    lines = [...lines.slice(0, at), ...added, ...lines.slice(at + remove)];
  };
  const rest: string[] = [];
  for (const statement of statements(editCode)) {
    const code = head(statement);
    const replaced = replaces(code);
    if (code.startsWith('import ')) {
      const imports = statements(lines.join('\n')).filter((candidate) => head(candidate).startsWith('import '));
      splice((imports.at(-1) ?? fail('app.ts has no import')).end + 1, 0, statement.lines);
    } else if (replaced) {
      const target = find(replaced);
      splice(target.start, target.end - target.start + 1, statement.lines);
    } else rest.push(...statement.lines);
  }
  if (rest.length) {
    const server = statements(lines.join('\n')).find((statement) => /^use(Express|Koa)Server\(/.test(head(statement)));
    splice((server ?? fail('app.ts has no useExpressServer(...)')).end + 1, 0, rest);
  }
  return lines.join('\n');
}

/** `app.ts` with its end replaced by a tail block (Koa), as the README says. */
function applyTail(app: string, tail: string, example: Extract<Block, { kind: 'tail' }>, name: string): string {
  const removed = app.replace(`${example.remove}\n`, '');
  const at = removed.indexOf(example.from);
  if (removed === app || at < 0) throw new Error(`README block ${name}: app.ts has no \`${example.remove}\` line`);
  const parts = statements(tail);
  const imports = parts.filter((part) => head(part).startsWith('import ')).flatMap((part) => part.lines);
  const body = parts.filter((part) => !head(part).startsWith('import ')).flatMap((part) => part.lines);
  return applyEdit(`${removed.slice(0, at)}${body.join('\n')}\n`, imports.join('\n'), name);
}

/** The files of app `name` (file name → source), built from its blocks as the README says. */
export function appFiles(name: string): Record<string, string> {
  const recipe = APPS[name] ?? [];
  const files: Record<string, string> = {};
  for (const part of recipe) {
    const example = BLOCKS[part];
    if (example?.kind === 'file') files[fileName(part)] = block(part);
    else if (example?.kind === 'edit') files['app.ts'] = applyEdit(files['app.ts'] ?? '', block(part), part);
    else if (example?.kind === 'tail') files['app.ts'] = applyTail(files['app.ts'] ?? '', block(part), example, part);
    else throw new Error(`README app ${name}: ${part} is not a file, edit or tail block in spec/readme/blocks.ts`);
  }
  return files;
}

/** A fragment inside its prelude. */
function fragmentSource(name: string, example: Extract<Block, { kind: 'fragment' }>): string {
  return `${example.prelude.head}${block(name)}${example.prelude.tail ?? ''}`;
}

let compiled: { workdir: string; diagnostics: string } | undefined;

/**
 * Every app compiled once per test run with the README's own tsconfig (libraries' types unchecked), each to
 * `build/readme-apps/out/<app>/`, and the fragments to `out/fragments/`.
 */
export function compileApps(): { workdir: string; diagnostics: string } {
  const files: Record<string, string> = {};
  for (const app of Object.keys(APPS)) {
    for (const [file, source] of Object.entries(appFiles(app))) files[`${app}/${file}`] = source;
  }
  for (const [name, example] of Object.entries(BLOCKS)) {
    if (example.kind === 'fragment') files[`fragments/${name}.ts`] = fragmentSource(name, example);
  }
  // skipLibCheck: this repository's node_modules mixes express 5's content-disposition into @types/koa (TS2694),
  // which a user's Koa project does not; .ci/consumers checks the package's own types with the README's tsconfig.
  const { compilerOptions } = readmeTsconfig();
  compiled ??= compile('readme-apps', files, { compilerOptions: { ...compilerOptions, skipLibCheck: true } });
  return compiled;
}
