import {
  DescribeImagesCommand,
  DescribeInstanceTypesCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  type _InstanceType,
  type EC2Client,
  type Route,
  type RouteTable,
} from '@aws-sdk/client-ec2';
import { notFound } from '../domain/failures.js';
import type { ImageInfo, InstanceTypeInfo, NetworkRoute, SubnetNetwork } from '../ports/index.js';
import { callAws, type CallContext } from './errors.js';
import type { ParameterReader } from './ssm.js';
import { ssmParameterOf } from '../runbook/formats.js';

type Context = (operation: string, extra?: Partial<CallContext>) => CallContext;

/** DescribeImages for an id, or for the id an SSM parameter holds now. */
export async function describeImage(
  client: EC2Client,
  ctx: Context,
  readParameter: ParameterReader,
  imageRef: string,
): Promise<ImageInfo> {
  const parameter = ssmParameterOf(imageRef);
  const id = parameter === undefined ? imageRef : await readParameter(parameter);
  if (id === undefined || id === '') throw notFound('SSM Parameter', parameter ?? imageRef);
  const out = await callAws(ctx('DescribeImages', { resource: id }), () =>
    client.send(new DescribeImagesCommand({ ImageIds: [id] })),
  );
  const image = out.Images?.find((i) => i.ImageId === id);
  if (image === undefined) throw notFound('AMI', id);
  return {
    id,
    name: image.Name,
    description: image.Description,
    architecture: image.Architecture ?? 'x86_64',
    platform: image.Platform?.toLowerCase() === 'windows' ? 'windows' : 'linux',
    platformDetails: image.PlatformDetails,
    resolvedFrom: parameter,
  };
}

export async function describeInstanceType(
  client: EC2Client,
  ctx: Context,
  instanceType: string,
): Promise<InstanceTypeInfo> {
  const input = { InstanceTypes: [instanceType as _InstanceType] };
  const out = await callAws(ctx('DescribeInstanceTypes', { resource: instanceType }), () =>
    client.send(new DescribeInstanceTypesCommand(input)),
  );
  const found = out.InstanceTypes?.find((t) => t.InstanceType === instanceType);
  if (found === undefined) throw notFound('Instance Type', instanceType);
  return { instanceType, architectures: found.ProcessorInfo?.SupportedArchitectures ?? [] };
}

function toRoute(route: Route): NetworkRoute {
  const target =
    route.GatewayId ??
    route.NatGatewayId ??
    route.TransitGatewayId ??
    route.VpcPeeringConnectionId ??
    route.EgressOnlyInternetGatewayId ??
    route.NetworkInterfaceId ??
    route.InstanceId ??
    route.LocalGatewayId ??
    route.CarrierGatewayId ??
    route.CoreNetworkArn ??
    'unknown';
  const destination =
    route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock ?? route.DestinationPrefixListId ?? 'unknown';
  return { destination, target, state: route.State };
}

/** The subnet's own route table, else its VPC's main table (as EC2 applies them). */
async function routeTableOf(
  client: EC2Client,
  ctx: Context,
  subnetId: string,
  vpcId: string,
): Promise<RouteTable | undefined> {
  const read = (filters: { Name: string; Values: string[] }[]) =>
    callAws(ctx('DescribeRouteTables', { resource: subnetId }), () =>
      client.send(new DescribeRouteTablesCommand({ Filters: filters })),
    );
  const own = await read([{ Name: 'association.subnet-id', Values: [subnetId] }]);
  if (own.RouteTables?.[0] !== undefined) return own.RouteTables[0];
  const main = await read([
    { Name: 'vpc-id', Values: [vpcId] },
    { Name: 'association.main', Values: ['true'] },
  ]);
  return main.RouteTables?.[0];
}

export async function describeSubnetNetwork(client: EC2Client, ctx: Context, subnetId: string): Promise<SubnetNetwork> {
  const subnets = await callAws(ctx('DescribeSubnets', { resource: subnetId }), () =>
    client.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] })),
  );
  const subnet = subnets.Subnets?.[0];
  if (subnet?.VpcId === undefined) throw notFound('Subnet', subnetId);
  const vpcId = subnet.VpcId;
  const [table, endpoints] = await Promise.all([
    routeTableOf(client, ctx, subnetId, vpcId),
    callAws(ctx('DescribeVpcEndpoints', { resource: vpcId }), () =>
      client.send(
        new DescribeVpcEndpointsCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpcId] },
            { Name: 'vpc-endpoint-type', Values: ['Gateway'] },
          ],
        }),
      ),
    ),
  ]);
  const tableId = table?.RouteTableId;
  const gatewayEndpoints = (endpoints.VpcEndpoints ?? [])
    .filter(
      (e) =>
        tableId !== undefined &&
        (e.RouteTableIds ?? []).includes(tableId) &&
        (e.State ?? 'available').toLowerCase() === 'available',
    )
    .flatMap((e) => (e.ServiceName === undefined ? [] : [e.ServiceName]));
  return {
    subnetId,
    vpcId,
    availabilityZone: subnet.AvailabilityZone,
    mapPublicIpOnLaunch: subnet.MapPublicIpOnLaunch ?? false,
    routeTableId: tableId,
    routes: (table?.Routes ?? []).map(toRoute),
    gatewayEndpoints,
  };
}
