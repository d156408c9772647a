import type { Store } from '../store/store.js';

/** How often a cancelled computation's store is interrupted again until its calls settle. */
const REINTERRUPT_MS = 100;

/**
 * The store as a metric computation sees it under `signal`: once aborted, no query or refresh
 * starts, and the ones running are interrupted (the store's interruptReads; inserts are left
 * alone). An interrupt that lands between two statements of a refresh stops nothing, so it is
 * repeated until every call in flight has settled. Families need not know: they get this
 * store in their context.
 */
export function cancellable(store: Store, signal: AbortSignal): Store {
  let inFlight = 0;
  let timer: NodeJS.Timeout | undefined;
  const interrupt = () => {
    if (inFlight === 0) return;
    void store.interruptReads().catch(() => undefined);
    timer ??= setInterval(interrupt, REINTERRUPT_MS);
  };
  signal.addEventListener('abort', interrupt, { once: true });
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      // the kept results' reads and writes are queries too: none starts after the cancel
      if (prop !== 'query' && prop !== 'refreshDerived') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        signal.throwIfAborted();
        inFlight += 1;
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (err) {
          // a query stopped by the cancel fails with the engine's message: say what happened
          if (signal.aborted) throw signal.reason;
          throw err;
        } finally {
          inFlight -= 1;
          if (inFlight === 0 && timer) {
            clearInterval(timer);
            timer = undefined;
          }
        }
      };
    },
  });
}
