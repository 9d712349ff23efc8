import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSemantics } from './generate.js';
import { mergeTreeSettingDefault, readonlyMergeTreeSettings } from './settings.js';

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
    expect(Object.keys(files).sort()).toEqual([
      'functions.generated.ts',
      'indexes.generated.ts',
      'settingDocs.generated.ts',
      'settings.generated.ts',
      'types.generated.ts',
    ]);
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

  it('mark readonly exactly the MergeTree settings ALTER ... MODIFY SETTING refuses (code 472)', () => {
    session.query('CREATE TABLE readonly_probe (a UInt64) ENGINE = MergeTree ORDER BY a');
    const names = JSON.parse(session.query('SELECT name FROM system.merge_tree_settings ORDER BY name', 'JSON')).data.map((r: { name: string }) => r.name);
    const refused = names.filter((name: string) => {
      try {
        session.query(`ALTER TABLE readonly_probe MODIFY SETTING ${name} = '${mergeTreeSettingDefault(name)?.replace(/'/g, "\\'")}'`);
        return false;
      } catch (error) {
        return /Code: 472/.test((error as Error).message);
      }
    });
    expect(refused).toEqual([...readonlyMergeTreeSettings()].sort());
  });
});
