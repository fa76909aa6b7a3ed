/**
 * The minter (a child of `npm run bench`, pinned to the load generator's CPU): writes the
 * requests of a row to a file wrk's script reads (wrk.ts), before each block, so nothing is
 * minted while a block runs. One request per line: header name and value pairs, tab-separated.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from './child';
import { minterFor } from './mint';
import type { Minter, Requests, Variant } from './variants';
import { variantById } from './variants';

/** What the load generator reads: the file, how to go through it, and how many lines it has. */
export interface RequestFile {
  path: string;
  mode: Requests['mode'];
  lines: number;
}

function line(headers: Record<string, string>): string {
  const fields = Object.entries(headers).flat();
  if (fields.some((field) => /[\t\r\n]/.test(field))) throw new Error('a bench header holds a tab or a line break');
  return fields.join('\t');
}

/** Writes `count` requests of `variant` (`fresh`: new ones each time) to its file. */
class Supply {
  private readonly minter: Minter;
  readonly path: string;

  constructor(
    private readonly variant: Variant,
    dir: string,
  ) {
    this.minter = minterFor(variant);
    this.path = join(dir, `${variant.id}.requests`);
    const { mode, size } = variant.requests;
    if (mode !== 'fresh') this.write(mode === 'cycle' ? (size ?? 1) : 1);
  }

  write(count: number): RequestFile {
    const lines: string[] = [];
    for (let i = 0; i < count; i += 1) lines.push(line(this.variant.requests.headers(this.minter, i)));
    writeFileSync(this.path, `${lines.join('\n')}\n`);
    return { path: this.path, mode: this.variant.requests.mode, lines: count };
  }

  /** The file for a run of at most `requests` requests: fresh ones minted now, the others as written. */
  forRun(requests: number): RequestFile {
    const { mode, size } = this.variant.requests;
    if (mode === 'fresh') return this.write(requests);
    return { path: this.path, mode, lines: mode === 'cycle' ? (size ?? 1) : 1 };
  }
}

const supplies = new Map<string, Supply>();

serve((request) => {
  const id = String(request.variant);
  if (request.cmd === 'prepare') {
    supplies.set(id, new Supply(variantById(id), String(request.dir)));
    return true;
  }
  if (request.cmd === 'requests') {
    const supply = supplies.get(id);
    if (!supply) throw new Error(`${id} was not prepared`);
    return supply.forRun(Number(request.count));
  }
  if (request.cmd === 'forget') return supplies.delete(id);
  throw new Error(`unknown request ${request.cmd}`);
});
