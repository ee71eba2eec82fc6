/** Every method of a port, named once: `satisfies` makes the compiler insist the list is complete. */
export type MethodNames<T> = Record<keyof T, true>;

/**
 * A port whose implementation (and the SDK client behind it) is loaded on its first call, so a
 * command pays only for the services it talks to. Every method of `T` must return a promise.
 * Calls made while the module loads wait for it; nothing is sent before.
 */
export function lazyPort<T extends object>(methods: MethodNames<T>, load: () => Promise<T>): T {
  let loaded: Promise<T> | undefined;
  const port: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of Object.keys(methods)) {
    port[name] = async (...args) => {
      loaded ??= load();
      const target = (await loaded) as Record<string, (...a: unknown[]) => Promise<unknown>>;
      return target[name]!(...args);
    };
  }
  return port as unknown as T;
}
