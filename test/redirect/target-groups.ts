import type { TargetGroupInfo } from '../../src/ports/index.js';

export type TargetGroupShape = Partial<Omit<TargetGroupInfo, 'healthCheck'>> & {
  healthCheck?: Partial<TargetGroupInfo['healthCheck']>;
};

/** A target group as CreateTargetGroup makes it with nothing but protocol, port and VPC: AWS's defaults. */
export function awsDefaultTargetGroup(shape: TargetGroupShape = {}): TargetGroupInfo {
  const protocol = shape.protocol ?? 'HTTP';
  return {
    arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef',
    name: 'web',
    port: 80,
    targetType: 'instance',
    deregistrationDelaySeconds: 300,
    loadBalancerArns: [],
    ...shape,
    protocol,
    healthCheck: {
      protocol,
      path: '/',
      port: 'traffic-port',
      intervalSeconds: 30,
      timeoutSeconds: 5,
      healthyThreshold: 5,
      unhealthyThreshold: 2,
      matcher: '200',
      ...shape.healthCheck,
    },
  };
}
