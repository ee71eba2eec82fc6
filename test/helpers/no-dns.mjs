// Preloaded into a CLI child process (`node --import`): refuses every host-name lookup except
// localhost, so an SDK client that did not take the test's endpoint fails with ENOTFOUND instead of
// resolving a real AWS host name. The same guard as `blockRealEndpoints` in moto.ts, for children.
import dns from 'node:dns';
import { isIP } from 'node:net';

const original = dns.lookup;
dns.lookup = (hostname, options, callback) => {
  const cb = typeof options === 'function' ? options : callback;
  if (hostname === 'localhost' || isIP(hostname) !== 0) return original(hostname, options, callback);
  process.nextTick(() =>
    cb(Object.assign(new Error(`test guard: lookup of ${hostname} refused`), { code: 'ENOTFOUND' })),
  );
};
