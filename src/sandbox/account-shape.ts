import type { ImageInfo, InstanceTypeInfo, NetworkRoute, SubnetNetwork } from '../ports/index.js';
import { guessArchitecture, imageOs, type ImageOs } from '../redirect/image.js';
import type { Runbook } from '../runbook/schema.js';
import type { SandboxFault } from './faults.js';
import { parseImageRef, ssmImageRef } from '../runbook/formats.js';

/**
 * What the simulated account looks like beyond the runbook's own names: AWS's defaults unless a
 * fault picks another shape a real account may have. The target group is what CreateTargetGroup
 * makes with protocol, port and VPC only (HTTP:80, health check GET / with matcher 200).
 */
export interface AccountShape {
  readonly targetGroup: {
    readonly protocol: 'HTTP' | 'HTTPS';
    readonly port: number;
    readonly healthCheck: {
      readonly protocol: 'HTTP' | 'HTTPS';
      readonly path: string;
      readonly port: string;
      readonly matcher: string;
    };
  };
  readonly imageOs: Extract<ImageOs, 'amazon-linux-2023' | 'ubuntu' | 'windows'>;
  /** Whether the redirect subnet has a route out (through a NAT gateway). */
  readonly routeOut: boolean;
}

export function accountShape(faults: readonly SandboxFault[]): AccountShape {
  const has = (f: SandboxFault): boolean => faults.includes(f);
  const protocol = has('https-target-group') ? 'HTTPS' : 'HTTP';
  const path = has('health-check-port') || has('matcher-3xx') ? '/health' : '/';
  return {
    targetGroup: {
      protocol,
      port: protocol === 'HTTPS' ? 443 : 80,
      healthCheck: {
        protocol,
        path,
        port: has('health-check-port') ? '8081' : 'traffic-port',
        matcher: has('matcher-3xx') ? '301,302' : '200',
      },
    },
    imageOs: has('windows-image') ? 'windows' : has('ubuntu-image') ? 'ubuntu' : 'amazon-linux-2023',
    routeOut: !has('no-route-out'),
  };
}

/** The SSM parameters of Amazon Linux's latest images, which the simulated SSM knows. */
const AMAZON_LINUX_PARAMETER = /^\/aws\/service\/ami-amazon-linux-latest\/[A-Za-z0-9_.-]+$/;

/** A stable fake AMI id for an SSM parameter name. */
function amiFor(name: string): string {
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return `ami-0${hash.toString(16).padStart(8, '0')}${'a1b2c3d4'}`;
}

const IMAGE_NAMES: Readonly<Record<AccountShape['imageOs'], string>> = {
  'amazon-linux-2023': 'al2023-ami-2023.6.20250101.0-kernel-6.1',
  ubuntu: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-server-20250101',
  windows: 'Windows_Server-2022-English-Full-Base-2025.01.01',
};

/** The simulated images: the runbook's own (of the shape's OS, built for its instance type), and Amazon Linux by SSM parameter. */
export class SimImages {
  readonly #shape: AccountShape;
  readonly #runbook: Runbook;

  constructor(runbook: Runbook, shape: AccountShape) {
    this.#runbook = runbook;
    this.#shape = shape;
  }

  /** The image an id or `resolve:ssm:` reference names, or undefined (not found). */
  find(ref: string): ImageInfo | undefined {
    const image = parseImageRef(ref);
    if (image.kind === 'ssm') {
      const name = image.parameter;
      if (!AMAZON_LINUX_PARAMETER.test(name)) return undefined;
      const architecture = name.includes('arm64') ? 'arm64' : 'x86_64';
      return {
        id: amiFor(name),
        name: `al2023-ami-2023.6.20250101.0-kernel-6.1-${architecture}`,
        architecture,
        platform: 'linux',
        platformDetails: 'Linux/UNIX',
        resolvedFrom: name,
      };
    }
    const own = this.#runbook.redirectServer;
    if (own?.imageId !== undefined && ref === own.imageId) {
      const os = this.#shape.imageOs;
      const architecture = guessArchitecture(own.instanceType);
      return {
        id: ref,
        name: `${IMAGE_NAMES[os]}-${architecture}`,
        architecture,
        platform: os === 'windows' ? 'windows' : 'linux',
        platformDetails: os === 'windows' ? 'Windows' : 'Linux/UNIX',
      };
    }
    if (/^ami-0[0-9a-f]{8}a1b2c3d4$/.test(ref)) {
      for (const arch of ['x86_64', 'arm64']) {
        const found = this.find(ssmImageRef(`/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`));
        if (found?.id === ref) return { ...found, resolvedFrom: undefined };
      }
    }
    return undefined;
  }

  /** The OS family a launched instance of this image runs. */
  osOf(imageId: string): ImageOs {
    const image = this.find(imageId);
    return image === undefined ? 'unknown' : imageOs(image);
  }
}

/** Instance families the simulated EC2 offers (the common general-purpose, compute and memory ones). */
const FAMILIES = new Set([
  't2',
  't3',
  't3a',
  't4g',
  'm5',
  'm5a',
  'm6i',
  'm6a',
  'm6g',
  'm7i',
  'm7g',
  'c5',
  'c6i',
  'c6g',
  'c7i',
  'c7g',
  'r5',
  'r6i',
  'r6g',
  'r7g',
  'a1',
]);

/** An instance type as DescribeInstanceTypes would describe it (the architecture from its family), or undefined. */
export function simInstanceType(instanceType: string): InstanceTypeInfo | undefined {
  const [family, size] = instanceType.split('.');
  if (
    family === undefined ||
    size === undefined ||
    !FAMILIES.has(family) ||
    !/^(nano|micro|small|medium|(\d*x)?large|metal)$/.test(size)
  )
    return undefined;
  return { instanceType, architectures: [guessArchitecture(instanceType)] };
}

/** The redirect subnet's network: a NAT gateway route out, or (no-route-out) the local route only. */
export function simSubnetNetwork(
  subnetId: string,
  vpcId: string,
  availabilityZone: string,
  shape: AccountShape,
): SubnetNetwork {
  const routes: NetworkRoute[] = [{ destination: '10.0.0.0/16', target: 'local', state: 'active' }];
  if (shape.routeOut) routes.push({ destination: '0.0.0.0/0', target: 'nat-0123456789abcdef0', state: 'active' });
  return {
    subnetId,
    vpcId,
    availabilityZone,
    mapPublicIpOnLaunch: false,
    routeTableId: 'rtb-0123456789abcdef0',
    routes,
    gatewayEndpoints: [],
  };
}
