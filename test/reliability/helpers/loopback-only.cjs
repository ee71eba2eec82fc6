// Preloaded (node --require) into every CLI process the reliability suite starts: whatever the
// arguments, the runbook or the journal say, no name is looked up and no connection is opened
// beyond the loopback interface. A refused attempt is printed, so the suite can fail on it.
'use strict';
const dns = require('node:dns');
const net = require('node:net');

// The guard's own test refuses one more loopback address, to prove each path is covered without
// sending anything beyond loopback.
const DENY = process.env.HOTSPARE_GUARD_TEST_DENY;
const LOOPBACK = (host) =>
  host !== DENY && (host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host));
const MARK = 'loopback-only guard:';

function refused(what) {
  process.stderr.write(`${MARK} ${what} refused\n`);
  return Object.assign(new Error(`${MARK} ${what} refused`), { code: 'ENOTFOUND' });
}

const lookup = dns.lookup;
dns.lookup = function guardedLookup(hostname, options, callback) {
  if (!LOOPBACK(String(hostname))) {
    const cb = typeof options === 'function' ? options : callback;
    const error = refused(`lookup of ${hostname}`);
    process.nextTick(() => cb(error));
    return {};
  }
  // biome-ignore lint/complexity/noArguments: passes every form of dns.lookup's arguments through
  return lookup.apply(this, arguments);
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = function guardedPromisesLookup(hostname, options) {
  if (!LOOPBACK(String(hostname))) return Promise.reject(refused(`lookup of ${hostname}`));
  return promisesLookup.call(this, hostname, options);
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options =
    first !== null && typeof first === 'object'
      ? first
      : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  const host = options.host ?? 'localhost';
  // A port means TCP (http's options also carry the request's path, which is not a socket path).
  const tcp = options.port !== undefined && options.port !== null;
  if (tcp && net.isIP(host) !== 0 && !LOOPBACK(host)) {
    const error = refused(`connection to ${host}`);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
};
