import { readdirSync } from 'node:fs';
import { relative } from 'node:path';
import { analyzeFiles } from '../../packages/core/src/inspect/analyze.js';
import { loadProject } from '../../packages/core/src/project/project.js';
import { lintAnalysis } from '../../packages/core/src/rules/lint.js';
import { lintOptionsOf } from '../../packages/core/src/rules/projectOptions.js';
import { LineIndex } from '../../packages/core/src/syntax/lineIndex.js';

/** The corpora lint precision is measured on: the public-schema repositories, and ours. */
export const CORPORA = [new URL('../../fixtures/corpus/', import.meta.url).pathname, new URL('./corpus/', import.meta.url).pathname];

/** Each finding of `clickplan lint` on one repository, keyed as classification.tsv lists it: `repository file:line rule`. */
export function findingKeysOf(root: string, repository: string): string[] {
  const project = loadProject(`${root}${repository}`);
  const analysis = analyzeFiles(project.files, { defaultDatabase: project.config.database });
  const texts = new Map(project.files.map((f) => [f.file, f.text]));
  return lintAnalysis(analysis, lintOptionsOf(project)).map((d) => {
    const line = d.file && d.range ? new LineIndex(texts.get(d.file) ?? '').positionAt(d.range.start).line + 1 : 0;
    return `${repository} ${d.file ? relative(`${root}${repository}`, d.file) : ''}:${line} ${d.code}`;
  });
}

/** Every finding on every corpus repository, sorted. */
export function corpusFindingKeys(): string[] {
  return CORPORA.flatMap((root) => readdirSync(root).flatMap((repository) => findingKeysOf(root, repository))).sort();
}
