/**
 * systeminformation, loaded on first use. It is the largest library in the bundle (~640 KB) and only
 * preflight and health need it: loading it lazily keeps the idle engine small (docs/performance.md).
 */
type SystemInformation = typeof import('systeminformation');

let loading: Promise<SystemInformation> | undefined;

export function systemInfo(): Promise<SystemInformation> {
  loading ??= import('systeminformation').then((m) => ((m as { default?: SystemInformation }).default ?? m) as SystemInformation);
  return loading;
}
