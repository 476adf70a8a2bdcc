// The house's one-way rule, read from the code: no two folders of src/ import each other, and no
// file imports itself through others. Files directly under src/ (index, main, post) count as the
// folder `.`.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve('src');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every file a source file imports by a relative path (static imports, re-exports, `import()`). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map(
    (match) => match[1],
  );
  return specifiers.map((specifier = '') =>
    path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts'),
  );
}

/** `execute` for src/execute/push.ts, `.` for src/main.ts. */
function folderOf(file: string): string {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts.length === 1 ? '.' : (parts[0] ?? '.');
}

const graph = new Map(sourceFiles(SRC).map((file) => [file, relativeImports(file)]));

/** The cycles of a directed graph: its strongly connected components of more than one node, or a self-loop. */
function cycles(edges: Map<string, string[]>): string[][] {
  const order = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string): number => {
    const mine = order.size;
    order.set(node, mine);
    let lowest = mine;
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (!order.has(next)) lowest = Math.min(lowest, visit(next));
      else if (stack.includes(next)) lowest = Math.min(lowest, order.get(next) ?? mine);
    }
    if (lowest !== mine) return lowest;
    const component = stack.splice(stack.indexOf(node));
    if (component.length > 1 || (edges.get(node) ?? []).includes(node)) found.push(component.sort());
    return lowest;
  };
  for (const node of edges.keys()) if (!order.has(node)) visit(node);
  return found;
}

describe('the house', () => {
  it('finds the imports it checks', () => {
    expect(graph.get(path.join(SRC, 'main.ts'))?.length).toBeGreaterThan(3);
    for (const targets of graph.values()) for (const target of targets) expect(graph.has(target)).toBe(true);
  });

  it('has no two folders of src/ importing each other', () => {
    const pairs = new Set<string>();
    for (const [file, targets] of graph) {
      for (const target of targets) {
        if (folderOf(file) !== folderOf(target)) pairs.add(`${folderOf(file)} -> ${folderOf(target)}`);
      }
    }
    const both = [...pairs].filter((pair) => pairs.has(pair.split(' -> ').reverse().join(' -> ')));
    expect(both).toEqual([]);
  });

  it('has no folder cycle through several folders either', () => {
    const folders = new Map<string, string[]>();
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      const to = targets.map(folderOf).filter((folder) => folder !== from);
      folders.set(from, [...new Set([...(folders.get(from) ?? []), ...to])]);
    }
    expect(cycles(folders)).toEqual([]);
  });

  it('has no file importing itself through others', () => {
    const relative = cycles(graph).map((cycle) => cycle.map((file) => path.relative(SRC, file)));
    expect(relative).toEqual([]);
  });

  it('keeps the leaves free of the stages', () => {
    const leaves = [...graph].filter(([file]) => folderOf(file) === 'shared');
    expect(leaves.length).toBeGreaterThan(0);
    for (const [file, targets] of leaves) {
      expect([path.relative(SRC, file), targets.filter((target) => folderOf(target) !== 'shared')]).toEqual([
        path.relative(SRC, file),
        [],
      ]);
    }
  });
});
