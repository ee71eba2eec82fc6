import { EC2Client, DescribeInstancesCommand, DescribeInstanceTypesCommand, DescribeSubnetsCommand, DescribeRouteTablesCommand, DescribeImagesCommand, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client, DescribeTargetGroupsCommand, DescribeTargetGroupAttributesCommand, DescribeListenersCommand, DescribeTargetHealthCommand, RegisterTargetsCommand, DeregisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
const config = { region: 'us-east-1', endpoint: 'http://127.0.0.1:38503' };
const ec2 = new EC2Client(config), elb = new ElasticLoadBalancingV2Client(config), asg = new AutoScalingClient(config);
const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-8bb15453/13e1ebfa4d4b4b5e';
const web = ["i-a13debadfba6507fb","i-060b1fc3713ffdd4a","i-84a36b1fb47b89bd3"].map((Id) => ({ Id, Port: 80 }));
await Promise.all([
  elb.send(new DescribeTargetGroupsCommand({ Names: ['web-8bb15453'] })),
  elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: TG })),
  ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:role', Values: ['web'] }] })),
  elb.send(new DescribeListenersCommand({ ListenerArns: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/site-8bb15453/1d35cb0ef89f8dce/7168a5c44e9769dd'] })),
  asg.send(new DescribeAutoScalingGroupsCommand({})),
  ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.micro'] })),
  ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-2df0377dc239f819e'] })),
  ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: ['subnet-2df0377dc239f819e'] }] })),
  ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0e1e769742d1cfb49'] })),
]);
await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }));
const run = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0e1e769742d1cfb49', InstanceType: 't3.micro', SubnetId: 'subnet-2df0377dc239f819e', SecurityGroupIds: ['sg-a2cb3123a03b10c37'], MinCount: 1, MaxCount: 1 }));
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
