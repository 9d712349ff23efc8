// What an analysis remembers between its steps, and between the analyses of an editor's edits:
// dependencies by definition, ALTER results, inlined UDF calls, timelines... Each stage declares
// its caches as `SessionCache` keys; their contents belong to an `AnalysisSession`, not to the
// module. A CLI run is one session; an editor keeps one per workspace (editor/model.ts), so that a
// statement an edit did not touch keeps what was computed for it.
//
// Every cache is keyed by syntax nodes or other objects of the analysis and holds what follows
// from them alone, so a session may be thrown away at any time: a new one computes the same.

/** A cache of one stage, named for error messages and debugging. Its entries live in a session. */
export class SessionCache<K extends object, V> {
  // Unused at run time: ties the key and value types to the cache.
  declare private readonly types: (key: K) => V;

  constructor(readonly name: string) {}
}

export class AnalysisSession {
  private readonly stores = new Map<SessionCache<never, unknown>, WeakMap<object, unknown>>();

  /**
   * Runs `work` with this session's caches. The same session may run again inside (an analysis
   * calls the model, which calls the graph); another session may not: its results would be
   * computed with the outer session's cached trees, which an editor moves on every edit.
   */
  run<T>(work: () => T): T {
    if (running === this) return work();
    if (running) throw new Error('An analysis session is already running: finish it before running another one.');
    running = this;
    try {
      return work();
    } finally {
      running = undefined;
    }
  }

  /** The entries of `cache` in this session. */
  store<K extends object, V>(cache: SessionCache<K, V>): WeakMap<K, V> {
    let store = this.stores.get(cache as SessionCache<never, unknown>);
    if (!store) this.stores.set(cache as SessionCache<never, unknown>, (store = new WeakMap()));
    return store as WeakMap<K, V>;
  }
}

/** The session whose `run` is in progress: set by `run` alone, which also guards against another one inside. */
let running: AnalysisSession | undefined;

/** The running session, if any. */
export function runningSession(): AnalysisSession | undefined {
  return running;
}

/**
 * The entries of `cache` in the running session. Outside a session: an empty store that nobody
 * keeps, so the caller computes everything (correct, only slower).
 */
export function sessionStore<K extends object, V>(cache: SessionCache<K, V>): WeakMap<K, V> {
  return running ? running.store(cache) : new WeakMap();
}

/** Runs `work` in the running session, or else in `session` (a new one when not given). */
export function inSession<T>(work: () => T, session?: AnalysisSession): T {
  if (running && (!session || session === running)) return work();
  return (session ?? new AnalysisSession()).run(work);
}
