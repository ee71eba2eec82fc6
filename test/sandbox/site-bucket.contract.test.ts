import { SandboxBucket } from '../../src/sandbox/bucket.js';
import { siteBucketContract } from '../contract/site-bucket.contract.js';

siteBucketContract('sandbox bucket', () => {
  const bucket = new SandboxBucket();
  return Promise.resolve({
    bucket,
    createBucket: (name) => Promise.resolve(bucket.create(name, {})),
    restrict: async (name, policy, block) =>
      bucket.setAccess(name, { ...(await bucket.readAccess(name)), policy, publicAccessBlock: block }),
    cleanup: () => Promise.resolve(),
  });
});
