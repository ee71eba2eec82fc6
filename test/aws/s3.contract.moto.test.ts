import { CreateBucketCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { createSiteBucket } from '../../src/aws/s3.js';
import { siteBucketContract } from '../contract/site-bucket.contract.js';
import { startMoto, useFakeAwsCredentials } from '../helpers/moto.js';

siteBucketContract('S3 adapter on moto', async () => {
  useFakeAwsCredentials();
  const moto = await startMoto();
  const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true });
  return {
    bucket: createSiteBucket({ region: 'us-east-1', endpointUrl: moto.endpoint }),
    createBucket: async (name) => void (await s3.send(new CreateBucketCommand({ Bucket: name }))),
    restrict: async (name, policy, block) => {
      await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: policy }));
      await s3.send(
        new PutPublicAccessBlockCommand({
          Bucket: name,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: block.blockPublicAcls,
            IgnorePublicAcls: block.ignorePublicAcls,
            BlockPublicPolicy: block.blockPublicPolicy,
            RestrictPublicBuckets: block.restrictPublicBuckets,
          },
        }),
      );
    },
    cleanup: async () => {
      s3.destroy();
      await moto.stop();
    },
  };
});
