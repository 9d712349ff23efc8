import type { LayoutName } from '../config.js';
import dbmate from './dbmate.js';
import declarative from './declarative.js';
import environment from './environment.js';
import flyway from './flyway.js';
import golangMigrate from './golang-migrate.js';
import goose from './goose.js';
import type { Layout } from './layout.js';
import numbered from './numbered.js';

/**
 * Every layout, in the order detection tries them: the most specific evidence first (a directory
 * structure, a file-name convention, annotations inside files), plain numbers last. Declarative is
 * what remains.
 */
export const LAYOUTS: readonly Layout[] = [environment, flyway, golangMigrate, goose, dbmate, numbered, declarative];

export function layoutNamed(name: LayoutName): Layout {
  const layout = LAYOUTS.find((l) => l.name === name);
  if (!layout) throw new Error(`no layout ${name}`);
  return layout;
}
