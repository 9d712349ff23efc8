import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Code reads a syntax tree through syntax/nodes.ts's typed forEachChild (and copies one through
// syntax/walk.ts's typed replaceNodes), never by walking object keys (issue 19). This test type-checks
// packages/core/src and lists every reflective walk over a value that may be a syntax node:
// `for (k in x)`, `Object.keys/values/entries(x)` and `Reflect.ownKeys(x)` where `x` is typed as a
// node, an object holding nodes... or as `unknown`/`any`/`object` (a generic walk). Tests and test
// support (`*.test.ts`, `*TestSupport.ts`) may walk keys: there a walk over every property is the
// oracle that forEachChild is compared with.

const ROOT = new URL('.', import.meta.url).pathname;

/** Walks over values typed `unknown`/`any` that are not syntax trees: parsed JSON and YAML, server rows. */
const NOT_SYNTAX: Record<string, string> = {
  'project/configErrors.ts Object.keys(parentSchema.properties ?? {})': "clickplan.yaml's JSON Schema",
  'project/config.ts Object.keys(rules)': "clickplan.yaml's `rules:` mapping",
  'project/config.ts Object.entries(raw)': "clickplan.yaml's `rules:` mapping",
  'project/config.ts Object.entries(rules)': "clickplan.yaml's `rules:` mapping, for rule options",
  'rules/optionsSchema.ts Object.entries(value as Record<string, unknown>)': "a rule's options from clickplan.yaml",
  'live/reader.ts Object.values(row)': 'a row the server returned',
  'live/snapshot.ts Object.entries(value)': "a snapshot file's JSON",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /(?<!\.test|TestSupport|\.d)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** The reflective walks over syntax nodes in `files`, as `file:line text` (those in NOT_SYNTAX left out). */
function reflectiveWalks(files: string[]): string[] {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    resolveJsonModule: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const syntaxKinds = syntaxKindsOf(program, checker);
  const found: string[] = [];
  for (const source of program.getSourceFiles()) {
    if (!files.includes(source.fileName)) continue;
    const report = (node: ts.Node, walked: ts.Expression) => {
      if (!mayHoldNodes(checker.getTypeAtLocation(walked), checker, syntaxKinds)) return;
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      const text = node.getText().split('\n')[0];
      if (`${relative(ROOT, source.fileName)} ${text}` in NOT_SYNTAX) return;
      found.push(`${relative(ROOT, source.fileName)}:${line} ${text}`);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isForInStatement(node)) report(node, node.expression);
      if (ts.isCallExpression(node) && node.arguments[0] && isKeyWalk(node.expression)) report(node, node.arguments[0]);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

function isKeyWalk(callee: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return false;
  const [owner, method] = [callee.expression.text, callee.name.text];
  return (owner === 'Object' && ['keys', 'values', 'entries', 'getOwnPropertyNames'].includes(method)) || (owner === 'Reflect' && method === 'ownKeys');
}

/** The `kind` strings of syntax/nodes.ts's SyntaxNode union. */
function syntaxKindsOf(program: ts.Program, checker: ts.TypeChecker): ReadonlySet<string> {
  const nodes = program.getSourceFile(join(ROOT, 'syntax/nodes.ts'));
  const alias = nodes?.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'SyntaxKind');
  if (!alias) throw new Error('syntax/nodes.ts has no SyntaxKind');
  const type = checker.getTypeAtLocation(alias.name);
  return new Set((type.isUnion() ? type.types : [type]).flatMap((t) => (t.isStringLiteral() ? [t.value] : [])));
}

/** Whether a value of this type may be or hold a syntax node (looked into for a few levels). */
function mayHoldNodes(type: ts.Type, checker: ts.TypeChecker, kinds: ReadonlySet<string>, depth = 0): boolean {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.NonPrimitive)) return true;
  if (type.isUnion() || type.isIntersection()) return type.types.some((t) => mayHoldNodes(t, checker, kinds, depth));
  if (depth > 3 || !(type.flags & ts.TypeFlags.Object)) return false;
  const kind = type.getProperty('kind');
  if (kind) {
    const kindType = checker.getTypeOfSymbol(kind);
    const values = kindType.isUnion() ? kindType.types : [kindType];
    if (values.some((v) => v.isStringLiteral() && kinds.has(v.value))) return true;
  }
  const element = checker.getIndexTypeOfType(type, ts.IndexKind.Number) ?? checker.getIndexTypeOfType(type, ts.IndexKind.String);
  if (element && mayHoldNodes(element, checker, kinds, depth + 1)) return true;
  return type.getProperties().some((p) => {
    const declaration = p.valueDeclaration ?? p.declarations?.[0];
    return declaration !== undefined && mayHoldNodes(checker.getTypeOfSymbolAtLocation(p, declaration), checker, kinds, depth + 1);
  });
}

describe('reflective walks over syntax nodes in packages/core/src', () => {
  it('are none: code reads trees through forEachChild', { timeout: 300_000 }, () => {
    expect(reflectiveWalks(sourceFiles(ROOT))).toEqual([]);
  });
});

describe('casts through unknown in packages/core/src', () => {
  it('are none: `as unknown as` hides what the type checker would say (issue 19)', () => {
    const casts = sourceFiles(ROOT).flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, i) => (line.includes('as unknown as') ? [`${relative(ROOT, path)}:${i + 1}`] : [])),
    );
    expect(casts).toEqual([]);
  });
});
