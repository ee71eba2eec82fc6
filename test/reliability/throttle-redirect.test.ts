import { throttlingMatrix } from './helpers/throttle-matrix.js';

// Throttling of every read during failover, resume and rollback: see helpers/throttle-matrix.ts.
throttlingMatrix('redirect instance');
