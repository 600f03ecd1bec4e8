/**
 * THE list of preflight checks. Each entry: category, name, critical, probe, evaluate (and optionally `applies`).
 * Adding a check = one entry here plus its probe. Probes live next to their kind (system.ts, tools.ts, php.ts,
 * database.ts, network.ts, permissions.ts, service-manager.ts); the runner (runner.ts) runs them all in parallel.
 */
import { certificateChecks } from '../certs';
import { validateConfig } from '../config/validate';
import { evaluateClient, evaluateServer, probeClient, probeServer } from './database';
import { evaluateAppIp, evaluatePort, portApplies, probeAppIp, probePort } from './network';
import { evaluateAppKey, evaluateArtisan, evaluateFolders, probeAppKey, probeArtisan, probeFolders } from './app';
import { evaluateWrite, probeWrite, WRITABLE_FOLDERS } from './permissions';
import { evaluateExtension, PHP_EXTENSIONS, PHP_INSTALL, probePhpModules } from './php';
import { evaluateAccess, evaluateManager, probeAccess, probeManager } from './service-manager';
import {
  evaluateCpu, evaluateDisk, evaluateElevated, evaluateMemory, evaluateOs, probeCpu, probeDisk, probeElevated,
  probeMemory, probeOs,
} from './system';
import { evaluateTool, probeTool, type ToolSpec } from './tools';
import { check, type CheckDef, type Outcome } from './types';

const TOOLS: Record<string, ToolSpec & { optional?: boolean; critical?: CheckDef['critical']; skipUnless?: (cfg: Parameters<Exclude<CheckDef['applies'], undefined>>[0]) => string | null }> = {
  'Node.js': { label: 'Node.js', pathKey: 'NODE_PATH', names: ['node'], args: ['--version'], minKey: 'PREFLIGHT_MIN_NODE_VERSION', install: 'Install Node.js 18 or later (nodejs.org LTS).' },
  PHP: { label: 'PHP', pathKey: 'PHP_PATH', names: ['php'], args: ['-v'], near: /\bPHP\s+/, minKey: 'PREFLIGHT_MIN_PHP_VERSION', install: PHP_INSTALL },
  Composer: { label: 'Composer', pathKey: 'COMPOSER_PATH', names: ['composer'], args: ['--version', '--no-ansi', '--no-interaction'], near: /\bComposer\s+(?:version\s+)?/i, minKey: 'PREFLIGHT_MIN_COMPOSER_VERSION', install: 'Install Composer 2 (getcomposer.org; Debian: apt-get install composer).' },
  nginx: { label: 'nginx', pathKey: 'NGINX_PATH', names: ['nginx'], args: ['-v'], near: /nginx\//, minKey: 'PREFLIGHT_MIN_NGINX_VERSION', install: 'Install nginx (Windows: the nginx/Windows zip from nginx.org unpacked to C:\\nginx; Debian: apt-get install nginx).' },
  mkcert: { label: 'mkcert', pathKey: 'MKCERT_PATH', names: ['mkcert'], args: ['-version'], critical: (cfg) => cfg.flag('HTTPS_ENABLED'), install: 'Install mkcert (github.com/FiloSottile/mkcert releases, or put mkcert.exe in bin\\mkcert\\; Debian: apt-get install mkcert).' },
  Git: { label: 'Git', pathKey: 'GIT_PATH', names: ['git'], args: ['--version'], optional: true, install: 'Git is optional (Woosoo can deploy from a folder); install Git for Windows to deploy from a repository.' },
  Flutter: {
    label: 'Flutter', pathKey: 'FLUTTER_PATH', names: ['flutter'], args: ['--version', '--suppress-analytics'], optional: true,
    critical: (cfg) => cfg.flag('RELAY_ENABLED'),
    skipUnless: (cfg) => (cfg.flag('RELAY_ENABLED') ? null : 'RELAY_ENABLED=false: Flutter is only needed to build the relay app.'),
    install: 'Install the Flutter SDK (flutter.dev) to build the relay app.',
  },
};

const toolChecks: CheckDef[] = Object.entries(TOOLS).map(([name, spec]) => check({
  category: 'Tools', name, critical: spec.critical ?? !spec.optional,
  probe: async (pc) => {
    const skip = spec.skipUnless?.(pc.cfg);
    return skip ? { skip } : { tool: await probeTool(pc, spec) };
  },
  evaluate: (d, pc): Outcome => (d.skip
    ? { status: 'Skip', expected: `${spec.label} installed`, actual: '', message: d.skip }
    : evaluateTool(spec, d.tool!, pc, spec.optional && !(typeof spec.critical === 'function' && spec.critical(pc.cfg)))),
}));

const PORT_KEYS = ['HTTP_PORT', 'HTTPS_PORT', 'BACKEND_PORT', 'REVERB_PORT', 'BACKEND_GREEN_PORT', 'REVERB_GREEN_PORT', 'DB_PORT'] as const;

export const CHECKS: readonly CheckDef[] = [
  check({ category: 'System', name: 'Elevated', critical: true, probe: probeElevated, evaluate: evaluateElevated }),
  check({ category: 'System', name: 'Disk space', critical: true, probe: probeDisk, evaluate: evaluateDisk }),
  check({ category: 'System', name: 'Memory', critical: true, probe: probeMemory, evaluate: evaluateMemory }),
  check({ category: 'System', name: 'CPU cores', critical: true, probe: probeCpu, evaluate: evaluateCpu }),
  check({ category: 'System', name: 'Operating system', critical: false, probe: probeOs, evaluate: evaluateOs }),

  ...toolChecks.slice(0, 3),
  check({ category: 'Tools', name: 'Database client', critical: true, probe: probeClient, evaluate: evaluateClient }),
  check({ category: 'Tools', name: 'Database login', critical: true, probe: probeServer, evaluate: evaluateServer }),
  ...toolChecks.slice(3),
  check({ category: 'Tools', name: 'Service manager', critical: true, probe: probeManager, evaluate: evaluateManager }),

  ...PHP_EXTENSIONS.map((ext) => check({
    category: 'PhpExtensions', name: ext, critical: true, probe: probePhpModules, evaluate: (m) => evaluateExtension(ext, m),
  })),

  check({
    category: 'Configuration', name: 'Configuration rules', critical: true,
    probe: async (pc) => validateConfig(pc.cfg),
    evaluate: (problems, pc): Outcome[] => (problems.length === 0
      ? [{ status: 'Pass', expected: 'no problems', actual: 'no problems', message: `${pc.cfg.location.file} passes every rule of Test-WoosooConfig.` }]
      : problems.map((p) => ({
        name: `${p.rule}${p.key ? ` ${p.key}` : ''}`, status: p.severity === 'Error' ? 'Fail' : 'Warn', critical: p.severity === 'Error',
        expected: 'no problem', actual: p.severity, message: p.line ? `${p.message} (${p.file} line ${p.line})` : p.message, fix: p.fix,
      }))),
  }),

  // The apps themselves: what would make the deploy's build or services fail for sure (issue 15).
  check({ category: 'Configuration', name: 'App folders', critical: true, probe: probeFolders, evaluate: evaluateFolders }),
  check({ category: 'Configuration', name: 'APP_KEY', critical: true, probe: probeAppKey, evaluate: evaluateAppKey }),
  check({ category: 'Configuration', name: 'Artisan commands', critical: true, probe: probeArtisan, evaluate: evaluateArtisan }),

  ...PORT_KEYS.map((key) => check({
    category: 'Network', name: key, critical: key !== 'DB_PORT', applies: (cfg) => portApplies(key, cfg),
    probe: (pc) => probePort(pc, key), evaluate: evaluatePort,
  })),
  check({ category: 'Network', name: 'APP_IP', critical: true, probe: probeAppIp, evaluate: evaluateAppIp }),
  check({
    // The checks of Test-WoosooCertificate (core/certs): present, covers APP_IP, not expired (CERT_WARN_DAYS), key, trust.
    category: 'Network', name: 'HTTPS certificate', critical: true, applies: (cfg) => cfg.flag('HTTPS_ENABLED'),
    probe: (pc) => certificateChecks(pc.cfg, { env: pc.env, signal: pc.signal }),
    evaluate: (rows): Outcome[] => (rows.length === 0
      ? [{ status: 'Pass', expected: 'valid, covers APP_IP', actual: 'valid', message: 'The HTTPS certificate passes every check of Test-WoosooCertificate.' }]
      : rows.map((r) => ({
        name: `HTTPS certificate ${r.check}`, status: r.result === 'Failed' ? 'Fail' : 'Warn', critical: r.result === 'Failed',
        expected: r.check, actual: r.result, message: `${r.message} (${r.path})`, fix: r.fix,
      }))),
  }),

  ...WRITABLE_FOLDERS.map((folder) => check({
    category: 'Permissions', name: folder ? `${folder}/` : 'Project folder', critical: true,
    probe: (pc) => probeWrite(pc, folder), evaluate: evaluateWrite,
  })),
  check({ category: 'Permissions', name: 'Service manager access', critical: true, probe: probeAccess, evaluate: evaluateAccess }),
];
