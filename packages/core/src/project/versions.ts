/**
 * Compares dotted version numbers part by part as integers, as Flyway does: `1.1` < `1.2` < `2` <
 * `10`; leading zeros and trailing `.0` parts do not count (`1.0` equals `1`). Parts may exceed
 * 2^53 (timestamps with seconds do not, but nothing stops a longer one).
 */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(BigInt);
  const right = b.split('.').map(BigInt);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i] ?? 0n;
    const y = right[i] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
