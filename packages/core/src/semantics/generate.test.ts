import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSemantics } from './generate.js';

// The checked-in facts are what chDB says today: regenerate and compare. When this fails after a
// chDB upgrade, run `npm run semantics:generate` and review the diff.

const dataDirectory = mkdtempSync(join(tmpdir(), 'clickplan-semantics-test-'));
const session = new Session(dataDirectory);
afterAll(() => {
  session.cleanup?.();
  rmSync(dataDirectory, { recursive: true, force: true });
});

describe('generated ClickHouse facts', () => {
  it('are what the engine lists now (npm run semantics:generate)', () => {
    const files = generateSemantics(session);
    expect(Object.keys(files).sort()).toEqual(['functions.generated.ts', 'indexes.generated.ts', 'settings.generated.ts', 'types.generated.ts']);
    for (const [name, content] of Object.entries(files)) expect(readFileSync(new URL(name, import.meta.url), 'utf8'), name).toBe(content);
  }, 120_000);

  it('have no two functions whose names differ only in case (the canonical form lower-cases names)', () => {
    const groups = JSON.parse(
      session.query(
        "SELECT lower(name) AS lowered, groupUniqArray(if(alias_to = '', name, alias_to)) AS functions FROM system.functions GROUP BY lowered HAVING length(functions) > 1",
        'JSON',
      ),
    ).data;
    expect(groups).toEqual([]);
  });
});
