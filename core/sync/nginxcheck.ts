/**
 * `nginx -t` on a rendered nginx.conf before it replaces the old one. The check runs in a private temp prefix
 * (conf/, logs/, temp/) so it never touches /etc/nginx, the running server or the project: the template writes
 * its pid, logs and temp paths relative to the prefix.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectConfig } from '../config';
import type { RequestContext } from '../kernel/context';
import { run } from '../process/run';
import { locateTool, toolQuery } from '../process/locate';

export interface NginxCheck {
  /** true passed, false failed, undefined = not run (nginx not installed). */
  ok?: boolean;
  /** One line for the ConfigChange: "nginx -t passed", "nginx not installed: not checked", or nginx's [emerg] line. */
  summary: string;
  output: string;
}

/** The folders nginx needs under its prefix for the built-in template (logs/ and temp/). */
export const NGINX_PREFIX_DIRS = ['conf', 'logs', 'temp'];

/**
 * NGINX_PATH (absolute, or relative to the project), else nginx on the session's PATH (or Debian's /usr/sbin, not on
 * Windows: there `/usr/sbin/nginx` means \usr\sbin\nginx on the current drive — under Wine, the Linux nginx on Z:).
 */
export function findNginx(cfg: ProjectConfig, ctx: Pick<RequestContext, 'env'>): string | null {
  const fallbacks = process.platform === 'win32' ? [] : ['/usr/sbin/nginx'];
  return locateTool(toolQuery(cfg, 'NGINX_PATH', ['nginx'], { fallbacks }), ctx.env).path;
}

/** The line that says what is wrong: [emerg] first, else the first non-empty line. */
export function nginxProblemLine(output: string): string {
  const lines = output.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => /\[emerg\]/.test(l)) ?? lines.find((l) => /\[(alert|crit|error)\]/.test(l)) ?? lines[0] ?? '';
  return line.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /, '').replace(/^(\[\w+\]) \d+#\d+: /, '$1 ');
}

export async function checkNginxConf(text: string, cfg: ProjectConfig, ctx: Pick<RequestContext, 'env' | 'signal'>): Promise<NginxCheck> {
  const nginx = findNginx(cfg, ctx);
  if (!nginx) {
    const why = cfg.str('NGINX_PATH') ? `NGINX_PATH (${cfg.path('NGINX_PATH')}) is not an executable file` : 'nginx is not installed here';
    return { summary: `${why}: not checked with nginx -t`, output: '' };
  }
  const prefix = mkdtempSync(join(tmpdir(), 'woosoo-nginx-t-'));
  try {
    for (const d of NGINX_PREFIX_DIRS) mkdirSync(join(prefix, d), { recursive: true });
    const conf = join(prefix, 'conf', 'nginx.conf');
    writeFileSync(conf, text);
    const r = await run(nginx, ['-t', '-q', '-e', 'stderr', '-p', `${prefix}/`, '-c', conf], { env: ctx.env, signal: ctx.signal, timeoutMs: 30_000 });
    const output = `${r.stdout}${r.stderr}`.split(conf).join('nginx.conf');
    if (r.exitCode === 0) return { ok: true, summary: 'nginx -t passed', output };
    if (r.notFound) return { summary: `nginx could not be started (${r.spawnError}): not checked`, output };
    return { ok: false, summary: nginxProblemLine(output) || `nginx -t failed with exit code ${r.exitCode}`, output };
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}
