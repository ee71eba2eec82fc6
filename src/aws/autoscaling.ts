import {
  type AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  ResumeProcessesCommand,
  SuspendProcessesCommand,
  type AutoScalingGroup,
} from '@aws-sdk/client-auto-scaling';
import type { AutoScaling, ScalingGroup } from '../ports/scaling.js';
import { callAws } from './errors.js';
import { receiptOf } from './receipt.js';

/**
 * The AutoScaling port over the Auto Scaling API. Target groups come from both the classic
 * attachments (`TargetGroupARNs`) and traffic sources. Suspend and resume go through `writer`, a
 * client that never retries.
 */
export function createAutoScaling(
  client: AutoScalingClient,
  endpoint?: string,
  writer: AutoScalingClient = client,
): AutoScaling {
  const ctx = (operation: string, resource?: string) => ({
    service: 'autoscaling' as const,
    operation,
    resource,
    endpoint,
  });
  return {
    describeGroups: async () => {
      const groups: ScalingGroup[] = [];
      let NextToken: string | undefined;
      do {
        const out = await callAws(ctx('DescribeAutoScalingGroups'), () =>
          client.send(new DescribeAutoScalingGroupsCommand({ NextToken })),
        );
        groups.push(...(out.AutoScalingGroups ?? []).map(toGroup));
        NextToken = out.NextToken;
      } while (NextToken !== undefined && NextToken !== '');
      return groups;
    },
    suspendProcesses: async (group, processes) => {
      const input = { AutoScalingGroupName: group, ScalingProcesses: [...processes] };
      return receiptOf(
        await callAws(ctx('SuspendProcesses', group), () => writer.send(new SuspendProcessesCommand(input))),
      );
    },
    resumeProcesses: async (group, processes) => {
      const input = { AutoScalingGroupName: group, ScalingProcesses: [...processes] };
      return receiptOf(
        await callAws(ctx('ResumeProcesses', group), () => writer.send(new ResumeProcessesCommand(input))),
      );
    },
  };
}

function toGroup(g: AutoScalingGroup): ScalingGroup {
  const sources = (g.TrafficSources ?? [])
    .filter((t) => t.Type === undefined || t.Type === 'elbv2')
    .map((t) => t.Identifier ?? '');
  return {
    name: g.AutoScalingGroupName ?? '',
    desired: g.DesiredCapacity ?? 0,
    min: g.MinSize ?? 0,
    max: g.MaxSize ?? 0,
    instanceIds: (g.Instances ?? []).map((i) => i.InstanceId ?? '').filter((id) => id !== ''),
    targetGroupArns: [
      ...new Set([...(g.TargetGroupARNs ?? []), ...sources.filter((s) => s.includes(':targetgroup/'))]),
    ],
    suspended: (g.SuspendedProcesses ?? []).map((p) => p.ProcessName ?? '').filter((p) => p !== ''),
  };
}
