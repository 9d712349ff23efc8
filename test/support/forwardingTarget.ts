import type { ExecuteOptions, LiveSchema, ReadScope, Target } from '../../packages/core/src/live/types.js';

/** A target that passes everything to a real one: test wrappers override only what they change. */
export class ForwardingTarget implements Target {
  constructor(protected readonly inner: Target) {}
  get kind() {
    return this.inner.kind;
  }
  get description() {
    return this.inner.description;
  }
  get writable() {
    return this.inner.writable;
  }
  readSchema(scope: ReadScope): Promise<LiveSchema> {
    return this.inner.readSchema(scope);
  }
  query<Row = Record<string, unknown>>(sql: string): Promise<Row[]> {
    return this.inner.query<Row>(sql);
  }
  execute(sql: string, options?: ExecuteOptions): Promise<void> {
    return this.inner.execute(sql, options);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
