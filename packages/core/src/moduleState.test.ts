import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Core is pure functions; what an analysis remembers belongs to an AnalysisSession (session.ts),
// not to a module (issue 19). This test reads every source file of packages/core/src with the
// TypeScript parser and lists module-level mutable state:
// - a top-level `let` or `var`;
// - a top-level `const` Map, Set, array or object that a function changes (`.set`, `.add`, `.push`,
//   `x[k] = v`...) — filling one at load time, at the top level, is fine: it is a constant table;
// - a `new WeakMap`/`new WeakSet` outside a class instance: a cache keyed by objects of an analysis.

const ROOT = new URL('.', import.meta.url).pathname;

/** Module-level state that is there on purpose, each with its reason. */
const ALLOWED: Record<string, string> = {
  'session.ts let running': 'the session guard itself: which session runs now, so that another one cannot start inside',
  'session.ts WeakMap': "the caches' stores: each belongs to a session (and outside one, to nobody)",
  'syntax/system.ts const SYSTEM_COMMANDS': 'the SYSTEM command table, filled at load time by defineSystemCommands and only read afterwards',
  'syntax/parser.ts let sharedParserBusy': "guards the one Parser kept alive for V8's optimized code (see its comment); a nested parse gets its own parser",
  'live/embedded.ts let shared': 'chDB allows one engine (one data directory) per process: the process-wide handle of that engine',
  'project/configErrors.ts let validator': 'the compiled JSON Schema of clickplan.yaml, compiled once on first use: a constant',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const MUTATORS = new Set(['set', 'add', 'delete', 'clear', 'push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill']);

/** The module-level mutable state of one file: `file let name`, `file const name`, `file WeakMap`. */
export function moduleStateOf(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, /* setParentNodes */ true);
  const found: string[] = [];
  const collections = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const list = statement.declarationList;
    const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
    for (const declaration of list.declarations) {
      if (!ts.isIdentifier(declaration.name)) continue;
      const name = declaration.name.text;
      if (!isConst) found.push(`${file} let ${name}`);
      else if (declaration.initializer && isCollection(declaration.initializer)) collections.add(name);
    }
  }
  const visit = (node: ts.Node, inFunction: boolean, inClass: boolean): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && /^Weak(Map|Set)$/.test(node.expression.text) && !inClass) {
      found.push(`${file} ${node.expression.text}`);
    }
    if (inFunction) {
      const changed = changedCollection(node);
      if (changed && collections.has(changed)) found.push(`${file} const ${changed}`);
    }
    const functionLike = ts.isFunctionLike(node);
    const classLike = ts.isClassLike(node);
    ts.forEachChild(node, (child) => visit(child, inFunction || (functionLike && !classLike), inClass || (classLike && !functionLike)));
  };
  visit(source, false, false);
  return [...new Set(found)];
}

function isCollection(node: ts.Expression): boolean {
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) return /^(Weak)?(Map|Set)$|^Array$/.test(node.expression.text);
  return ts.isArrayLiteralExpression(node) || ts.isObjectLiteralExpression(node);
}

/** The name of the top-level collection a node changes: `name.set(...)`, `name[k] = v`, `name.x = v`, `delete name[k]`. */
function changedCollection(node: ts.Node): string | undefined {
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression)) {
    return MUTATORS.has(node.expression.name.text) ? node.expression.expression.text : undefined;
  }
  const target =
    ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment
      ? node.left
      : ts.isDeleteExpression(node)
        ? node.expression
        : undefined;
  if (target && (ts.isElementAccessExpression(target) || ts.isPropertyAccessExpression(target)) && ts.isIdentifier(target.expression)) {
    return target.expression.text;
  }
  return undefined;
}

describe('module-level state in packages/core/src', () => {
  it('is only what is listed, each with its reason', () => {
    const found = sourceFiles(ROOT).flatMap((path) => moduleStateOf(relative(ROOT, path), readFileSync(path, 'utf8')));
    expect(found.filter((entry) => !(entry in ALLOWED))).toEqual([]);
    expect(Object.keys(ALLOWED).filter((entry) => !found.includes(entry))).toEqual([]);
  });

  it('finds a cache kept in a module, in a closure, or assigned anew', () => {
    const text = `
      const cache = new Map<string, number>();
      const TABLE = new Map([['a', 1]]);
      TABLE.set('b', 2);
      let count = 0;
      export function f(key: string): number {
        cache.set(key, count++);
        return TABLE.get(key) ?? 0;
      }
      export function memo<T extends object>(g: (t: T) => number) {
        const seen = new WeakMap<T, number>();
        return (t: T) => seen.get(t) ?? g(t);
      }
      class Instance { private readonly hashes = new WeakMap<object, string>(); }`;
    expect(moduleStateOf('x.ts', text)).toEqual(['x.ts let count', 'x.ts const cache', 'x.ts WeakMap']);
  });
});
