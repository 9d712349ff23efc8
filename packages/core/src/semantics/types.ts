import { entriesOf } from './lines.js';
import { DATA_TYPE_FAMILIES } from './types.generated.js';

// Data type names as ClickHouse stores them (`system.data_type_families`): aliases resolved
// (`INT UNSIGNED` → `UInt32`), case-insensitive names in their canonical spelling (`datetime` →
// `DateTime`), arguments dropped where the family ignores them (`VARCHAR(255)` → `String`).

export interface DataTypeFamily {
  /** The family ClickHouse stores (`UInt32` for `INT UNSIGNED`). */
  name: string;
  /** `INT(11)`, `VARCHAR(255)`: the arguments are accepted and dropped. */
  dropsArguments: boolean;
  /** How the bare name is stored when that differs from `name`: `Decimal(10, 0)`, `DateTime64(3)`. */
  bare?: string;
}

interface Entry {
  canonical: string;
  caseInsensitive: boolean;
  dropsArguments: boolean;
  bare?: string;
}

const entries = new Map<string, Entry>();
for (const [name, aliasTo, flags = '', bare] of entriesOf(DATA_TYPE_FAMILIES, '\t')) {
  const flagList = flags.split(' ');
  entries.set(name, { canonical: aliasTo || name, caseInsensitive: flagList.includes('ci'), dropsArguments: flagList.includes('drops-arguments'), bare });
}
const caseInsensitive = new Map([...entries].filter(([, e]) => e.caseInsensitive).map(([name, e]) => [name.toUpperCase(), e]));

/** The family a type name written in DDL names, or undefined when ClickHouse knows no such family. */
export function dataTypeFamily(written: string): DataTypeFamily | undefined {
  const name = written.replace(/\s+/g, ' ');
  const entry = entries.get(name) ?? caseInsensitive.get(name.toUpperCase());
  if (!entry) return undefined;
  const family: DataTypeFamily = { name: entry.canonical, dropsArguments: entry.dropsArguments };
  if (entry.bare) family.bare = entry.bare;
  return family;
}
