/**
 * The parts of the redirect server's user data that decide how its boot ends: nothing waits
 * forever, and a boot that cannot start the server ends visibly. Plain bash, for every OS family.
 *
 * - Bounds: another package manager holding the lock (unattended-upgrades on an Ubuntu or Debian
 *   first boot) is waited for at most `lock_wait` s (apt's `DPkg::Lock::Timeout` for the dpkg lock;
 *   apt does not wait for the lists lock of `apt-get update`, so the script waits for it itself); a
 *   mirror that accepts and stops answering fails a read after `net_wait` s (apt's
 *   `Acquire::http(s)::Timeout`, dnf's and yum's `timeout`), and one install step is killed after
 *   `step_limit` s in all (`timeout`). The environment can shorten them (the tests do).
 * - A failure ends the boot visibly: the script says what failed (cloud-init's output and the
 *   instance's console, `aws ec2 get-console-output`) and powers the instance off, so the failover
 *   sees it stopped and fails at once instead of waiting out its health-check timeout. A spare does
 *   not power off on failure: a stopped spare would look ready.
 * - SELinux: on an enforcing image (the RHEL family) nginx and httpd may listen only on ports
 *   labelled `http_port_t`; any other port the target group uses is labelled first.
 */

/** Seconds, overridable from the environment for tests only. */
export const BOOT_BOUNDS = { lockWait: 180, netWait: 15, netRetries: 1, stepLimit: 300 } as const;

/** Ports SELinux's policy labels `http_port_t` already: nginx and httpd may listen there. */
const HTTP_PORT_T: ReadonlySet<number> = new Set([80, 81, 443, 488, 8008, 8009, 8443, 9000]);

const def = (name: string, env: string, value: number): string => `${name}=\${${env}:-${value}}`;

export function boundsLines(): string[] {
  return [
    def('lock_wait', 'HOTSPARE_LOCK_WAIT', BOOT_BOUNDS.lockWait),
    def('net_wait', 'HOTSPARE_NET_WAIT', BOOT_BOUNDS.netWait),
    def('net_retries', 'HOTSPARE_NET_RETRIES', BOOT_BOUNDS.netRetries),
    def('step_limit', 'HOTSPARE_STEP_LIMIT', BOOT_BOUNDS.stepLimit),
  ];
}

/** `install_packages PKG...` for the detected family, every network step bounded. */
export function installLines(): string[] {
  const aptNet =
    '-o Acquire::http::Timeout="$net_wait" -o Acquire::https::Timeout="$net_wait" -o Acquire::Retries="$net_retries"';
  const rpmNet = '--setopt=timeout="$net_wait" --setopt=retries="$net_retries"';
  return [
    'apt_update() {',
    '  local waited=0 out status',
    '  while :; do',
    `    out=$(timeout "$step_limit" apt-get -q ${aptNet} update 2>&1) && { printf '%s\\n' "$out"; return 0; }`,
    '    status=$?',
    `    printf '%s\\n' "$out"`,
    '    case "$out" in *"Could not get lock"*) ;; *) return "$status" ;; esac',
    '    if [ "$waited" -ge "$lock_wait" ]; then say "another package manager held the apt lists for $lock_wait s"; return "$status"; fi',
    '    say "another package manager holds the apt lists (unattended-upgrades?): waiting, at most $lock_wait s"',
    '    sleep 3',
    '    waited=$((waited + 3))',
    '  done',
    '}',
    'install_packages() {',
    '  case "$family" in',
    `    dnf) timeout "$step_limit" dnf install -y ${rpmNet} "$@" ;;`,
    `    yum) timeout "$step_limit" yum install -y ${rpmNet} "$@" ;;`,
    `    apt) apt_update && DEBIAN_FRONTEND=noninteractive timeout "$step_limit" apt-get install -y -q -o DPkg::Lock::Timeout="$lock_wait" ${aptNet} "$@" ;;`,
    '  esac',
    '}',
  ];
}

/** The EXIT trap: a failed boot says so, and (not for a spare) powers the instance off. */
export function failureLines(spare: boolean): string[] {
  return [
    'boot_failed() {',
    '  local status=$?',
    '  [ "$status" -eq 0 ] && return 0',
    '  say "FAILED (exit $status): the redirect server did not start; this instance will never pass its health check"',
    ...(spare
      ? [
          '  say "the spare stays running (a stopped spare would look ready): run hotspare prepare again once the cause is fixed"',
        ]
      : [
          '  say "powering off, so the failover stops waiting for it at once (rolling back terminates it)"',
          '  { echo "hotspare: redirect server FAILED (exit $status); see /var/log/cloud-init-output.log" > /dev/console; } 2>/dev/null || true',
          '  systemctl poweroff || shutdown -h now || poweroff || true',
        ]),
    '}',
    'trap boot_failed EXIT',
  ];
}

/** Label the server's ports for nginx/httpd when SELinux enforces; nothing for the ports already allowed. */
export function selinuxLines(ports: readonly number[]): string[] {
  const labelled = [...new Set(ports)].filter((p) => !HTTP_PORT_T.has(p));
  if (labelled.length === 0) return [];
  return [
    'if command -v getenforce >/dev/null 2>&1 && [ "$(getenforce)" = Enforcing ]; then',
    '  if ! command -v semanage >/dev/null 2>&1; then',
    '    case "$family" in yum) install_packages policycoreutils-python ;; *) install_packages policycoreutils-python-utils ;; esac',
    '  fi',
    `  for port in ${labelled.join(' ')}; do`,
    '    say "SELinux enforces: labelling port $port http_port_t for the web server"',
    '    semanage port -a -t http_port_t -p tcp "$port" 2>/dev/null || semanage port -m -t http_port_t -p tcp "$port"',
    '  done',
    'fi',
  ];
}
