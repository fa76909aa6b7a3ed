import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { circles, importGraph, layerOf, ROOT, SRC, sourceFiles, upwardImports } from './imports';

describe('architecture: the shape ARCHITECTURE.md describes', () => {
  const graph = importGraph();

  it('has no import circle in src/, type imports included', () => {
    expect(circles(graph)).to.deep.equal([]);
  });

  it('finds a circle when there is one (the check itself can fail)', () => {
    const looped = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['d.ts']],
    ]);
    expect(circles(looped)).to.deep.equal([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
  });

  it('imports only along the layers: face → config → core → parts → shared', () => {
    expect(upwardImports(graph)).to.deep.equal([]);
    expect(upwardImports(new Map([['token/x.ts', ['core/y.ts']]]))).to.deep.equal(['token/x.ts → core/y.ts']);
  });

  it('has no circle between the folders of the parts (no part calls back into another)', () => {
    const folders = new Map<string, string[]>();
    for (const [from, targets] of graph) {
      if (layerOf(from) !== 'parts') continue;
      const folder = from.split('/')[0] as string;
      const others = targets.filter((to) => layerOf(to) === 'parts').map((to) => to.split('/')[0] as string);
      folders.set(folder, [...new Set([...(folders.get(folder) ?? []), ...others.filter((f) => f !== folder)])]);
    }
    expect(circles(folders)).to.deep.equal([]);
  });

  it('keeps at most six files at the root of src/: the public face', () => {
    const root = readdirSync(SRC, { withFileTypes: true }).filter((entry) => entry.isFile());
    expect(root.length, root.map((entry) => entry.name).join(', ')).to.be.at.most(6);
  });

  it('has no source file over 200 lines', () => {
    const long = sourceFiles()
      .map((file) => ({ file, lines: readFileSync(join(SRC, file), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > 200);
    expect(long).to.deep.equal([]);
  });

  it('names in ARCHITECTURE.md only src/ paths that exist', () => {
    const text = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');
    const named = [...new Set([...text.matchAll(/`(src\/[^`\s]+)`/g)].map((match) => match[1] as string))];
    expect(named.length).to.be.above(30);
    const known = new Set(sourceFiles().map((file) => `src/${file}`));
    const folders = new Set([...known].flatMap((file) => prefixes(file)));
    const missing = named.filter((path) => !known.has(path) && !folders.has(path.replace(/\/$/, '')));
    expect(missing).to.deep.equal([]);
  });
});

/** `src/a/b/c.ts` → `src`, `src/a`, `src/a/b`. */
function prefixes(file: string): string[] {
  const parts = file.split('/');
  return parts.slice(1, -1).map((_, index) => parts.slice(0, index + 2).join('/'));
}
