import { INDEX_GRANULARITY } from './indexes.generated.js';
import { entriesOf } from './lines.js';

const granularities = new Map(entriesOf(INDEX_GRANULARITY).map(([type, value, flag]) => [type, { value, fixed: flag === 'fixed' }]));

/**
 * The GRANULARITY ClickHouse stores for a skipping index: `text` and `vector_similarity` default to
 * 100000000, and `text` stores it whatever is written.
 */
export function storedIndexGranularity(type: string, written: string | undefined): string {
  const known = granularities.get(type);
  if (known?.fixed) return known.value;
  return written ?? known?.value ?? '1';
}
