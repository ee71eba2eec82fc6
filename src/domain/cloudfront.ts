/** The hosted zone id of every CloudFront distribution, for alias records. */
export const CLOUDFRONT_HOSTED_ZONE_ID = 'Z2FDTNDATAQYW2';
