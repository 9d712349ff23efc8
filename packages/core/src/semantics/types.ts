import { entriesOf } from './lines.js';
import { CODECS, DATA_TYPE_FAMILIES } from './types.generated.js';

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

/**
 * Codec names by upper case: a server stores a codec in its own spelling (`ZSTD(1)`) whatever the
 * DDL said; 26.7 refuses other spellings, some older servers took them.
 */
const codecs = new Map(entriesOf(CODECS).map(([name]) => [name.toUpperCase(), name]));

/** A codec name as ClickHouse stores it (`zstd` is `ZSTD`); an unknown name stays as written. */
export function canonicalCodecName(written: string): string {
  return codecs.get(written.toUpperCase()) ?? written;
}
