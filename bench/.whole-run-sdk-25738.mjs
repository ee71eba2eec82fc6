import { EC2Client, DescribeInstancesCommand, DescribeInstanceTypesCommand, DescribeSubnetsCommand, DescribeRouteTablesCommand, DescribeImagesCommand, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client, DescribeTargetGroupsCommand, DescribeTargetGroupAttributesCommand, DescribeListenersCommand, DescribeTargetHealthCommand, RegisterTargetsCommand, DeregisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
const config = { region: 'us-east-1', endpoint: 'http://127.0.0.1:35145' };
const ec2 = new EC2Client(config), elb = new ElasticLoadBalancingV2Client(config), asg = new AutoScalingClient(config);
const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-c6b7c954/482fa1d625d28679';
const web = ["i-6a77a5bc169c17c2c","i-2c2ed223aa95c9dbf","i-77f5a3edc452f729c"].map((Id) => ({ Id, Port: 80 }));
await Promise.all([
  elb.send(new DescribeTargetGroupsCommand({ Names: ['web-c6b7c954'] })),
  elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: TG })),
  ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:role', Values: ['web'] }] })),
  elb.send(new DescribeListenersCommand({ ListenerArns: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/site-c6b7c954/232cd57af80391b0/558cf5fcbc715302'] })),
  asg.send(new DescribeAutoScalingGroupsCommand({})),
  ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.micro'] })),
  ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-4ac1141ed1a6b62a5'] })),
  ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: ['subnet-4ac1141ed1a6b62a5'] }] })),
  ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0e1e769742d1cfb49'] })),
]);
await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }));
const run = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0e1e769742d1cfb49', InstanceType: 't3.micro', SubnetId: 'subnet-4ac1141ed1a6b62a5', SecurityGroupIds: ['sg-f6e81670cb717d323'], MinCount: 1, MaxCount: 1 }));
const id = run.Instances[0].InstanceId;
while ((await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations[0].Instances[0].State.Name !== 'running') await new Promise((r) => setTimeout(r, 1000));
await elb.send(new RegisterTargetsCommand({ TargetGroupArn: TG, Targets: [{ Id: id, Port: 80 }] }));
while ((await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG, Targets: [{ Id: id, Port: 80 }] }))).TargetHealthDescriptions[0].TargetHealth.State !== 'healthy') await new Promise((r) => setTimeout(r, 1000));
await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: TG, Targets: web }));
await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }));
await elb.send(new RegisterTargetsCommand({ TargetGroupArn: TG, Targets: web }));
await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }));
await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: TG, Targets: [{ Id: id, Port: 80 }] }));
await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
