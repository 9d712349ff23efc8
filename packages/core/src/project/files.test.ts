import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../inspect/analyze.js';

describe('SourceFile.defaultDatabase', () => {
  it("resolves a file's unqualified names to its own database; USE still wins for the rest of that file", () => {
    const analysis = analyzeFiles(
      [
        { file: 'global.sql', text: 'CREATE TABLE countries (code String) ENGINE = MergeTree ORDER BY code;' },
        {
          file: 'tenant.sql',
          defaultDatabase: 'tenant_acme',
          text: 'CREATE TABLE events (id UInt64) ENGINE = MergeTree ORDER BY id;\nUSE shared;\nCREATE TABLE lookups (id UInt64) ENGINE = MergeTree ORDER BY id;',
        },
        { file: 'after.sql', text: 'CREATE TABLE sessions (id UInt64) ENGINE = MergeTree ORDER BY id;' },
      ],
      { defaultDatabase: 'analytics' },
    );
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.schema.objects.map((o) => o.id)).toEqual(['analytics.countries', 'tenant_acme.events', 'shared.lookups', 'analytics.sessions']);
  });
});
