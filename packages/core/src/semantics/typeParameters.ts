/**
 * Type parameters ClickHouse leaves out of the stored type when they equal their default:
 * `JSON(max_dynamic_paths = 1024)` is stored as `JSON`. The engine lists no such table, so it is
 * written here and each entry is proven on chDB by `typeParameters.test.ts`.
 */
export const DEFAULT_TYPE_PARAMETERS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  JSON: { max_dynamic_paths: '1024', max_dynamic_types: '32' },
  Dynamic: { max_types: '32' },
};
