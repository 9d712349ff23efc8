// A copy-on-write replacement in a syntax tree. Reading a tree goes through nodes.ts's typed
// forEachChild; this still walks object keys, since copying a node needs its properties.

/**
 * A copy of `root` in which every node that `replace` maps is swapped for its replacement (mapped to
 * undefined: taken out of its list); the parts of the tree with no replacement inside are shared,
 * not copied.
 */
export function replaceNodes<T>(root: T, replace: ReadonlyMap<object, unknown>): T {
  const copy = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (replace.has(value)) return replace.get(value);
    if (Array.isArray(value)) {
      const items = value.map(copy);
      if (!items.some((item, i) => item !== value[i])) return value;
      return items.filter((item, i) => item !== undefined || value[i] === undefined);
    }
    let changed: Record<string, unknown> | undefined;
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key];
      const replaced = copy(child);
      if (replaced !== child) {
        changed ??= { ...(value as Record<string, unknown>) };
        changed[key] = replaced;
      }
    }
    return changed ?? value;
  };
  return copy(root) as T;
}
