import type { ImageInfo, InstanceTypeInfo, RedirectServerKind } from '../ports/index.js';
import { ssmImageRef } from '../runbook/formats.js';

/** The SSM parameter AWS keeps pointing at the latest Amazon Linux 2023 image for an architecture. */
export function latestAmazonLinux(architecture: 'x86_64' | 'arm64'): string {
  return ssmImageRef(`/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`);
}

/**
 * An instance type's architecture guessed from its name, for when the account is not read
 * (`plan`): Graviton families carry a `g` after the generation (t4g, m7gd, c6gn, g5g), and a1.
 * Preflight asks DescribeInstanceTypes instead.
 */
export function guessArchitecture(instanceType: string): 'x86_64' | 'arm64' {
  const family = instanceType.split('.')[0] ?? '';
  return family === 'a1' || /^[a-z]+\d+[a-z-]*g[a-z-]*$/.test(family) ? 'arm64' : 'x86_64';
}

/** The runbook's image reference, or the latest Amazon Linux 2023 for the instance type. */
export function imageRefFor(imageId: string | undefined, architecture: 'x86_64' | 'arm64'): string {
  return imageId ?? latestAmazonLinux(architecture);
}

/** The OS an image runs, as far as its name and details tell. */
export type ImageOs =
  | 'amazon-linux-2023'
  | 'amazon-linux-2'
  | 'ubuntu'
  | 'debian'
  | 'rhel'
  | 'suse'
  | 'windows'
  | 'unknown';

export function imageOs(image: ImageInfo): ImageOs {
  if (image.platform === 'windows') return 'windows';
  const text =
    `${image.name ?? ''} ${image.description ?? ''} ${image.platformDetails ?? ''} ${image.resolvedFrom ?? ''}`.toLowerCase();
  if (/al2023|amazon linux 2023/.test(text)) return 'amazon-linux-2023';
  if (/amzn2|amazon linux 2\b/.test(text)) return 'amazon-linux-2';
  if (/ubuntu/.test(text)) return 'ubuntu';
  if (/debian/.test(text)) return 'debian';
  if (/red hat|rhel|centos|rocky|alma|fedora/.test(text)) return 'rhel';
  if (/suse|sles/.test(text)) return 'suse';
  return 'unknown';
}

/** Amazon Linux reads its package repositories from S3: an S3 gateway endpoint is a way out for it. */
export function reposOnS3(os: ImageOs): boolean {
  return os === 'amazon-linux-2023' || os === 'amazon-linux-2';
}

/**
 * Why no supported server can run this image on this instance type, or undefined. Windows has no
 * server hotspare can set up; the image's architecture must be one the type runs; SUSE's zypper is
 * not a package manager the user data drives, so it needs the builtin server or a preinstalled one.
 */
export function imageProblem(
  image: ImageInfo,
  type: InstanceTypeInfo,
  server: RedirectServerKind,
  preinstalled: boolean,
): string | undefined {
  const os = imageOs(image);
  if (os === 'windows')
    return `${image.id} is a Windows image: the redirect server runs on Linux (Amazon Linux, Ubuntu, Debian, RHEL)`;
  if (type.architectures.length > 0 && !type.architectures.includes(image.architecture)) {
    return `${image.id} is built for ${image.architecture}, but ${type.instanceType} runs ${type.architectures.join(', ')}`;
  }
  if (os === 'suse' && server !== 'builtin' && !preinstalled)
    return `${image.id} is SUSE (zypper): use server: builtin, or an image with ${server} preinstalled`;
  return undefined;
}

/** One line about the image for preflight and plan. */
export function imageText(image: ImageInfo): string {
  const from = image.resolvedFrom === undefined ? '' : ` from ${image.resolvedFrom}`;
  return `${image.id}${from} (${image.name ?? 'no name'}, ${image.architecture}, ${imageOs(image)})`;
}
