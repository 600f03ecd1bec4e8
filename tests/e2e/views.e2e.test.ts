/**
 * The Format.ps1xml views, rendered by the real pwsh at 80 and at 200 console columns: for every type with a view,
 * an object with realistic long values (paths, 5-digit ports, 3-digit line numbers, 150-character messages) goes
 * through Out-String -Width 80/200 (and Format-Table / the named list views), and the text is checked: no line wider
 * than the console, nothing cut ("…"), the important values whole, the headers there, long text wrapped word by word.
 * One pwsh process renders everything (a JSON map of texts). Skipped, with the reason, where pwsh is not installed.
 * The culture is en-US: PowerShell wraps at word boundaries only under en, fr, de, it, pt and es (elsewhere, and under
 * the invariant culture, a wrapped cell breaks anywhere), and formats numbers by the culture.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/engine';
import { describePwsh, runPwsh } from '../support/pwsh';

const MESSAGE = 'Port 33306 (DB_PORT) on 127.0.0.1 is held by another program, mysqld.exe (PID 4242), so the database of this stack cannot listen there while it runs.';
const FIX = 'Stop that program with Stop-Process -Id 4242 (or stop its service), or set DB_PORT in deployment.config.env to a free port, then run the check again.';
const PROJECT = 'C:\\Users\\administrator\\Documents\\woosoo-production';
const LONG_PATH = `${PROJECT}\\apps\\woosoo-nexus\\.env`;
/** FailedCommand and LogPath share the free width (79 each at 200): a typical project folder keeps it on one line. */
const LOG_PATH = 'D:\\woosoo\\logs\\build\\2026-02-15_14-30-00\\backend.log';
const REPORT = `${PROJECT}\\logs\\deployment\\20260215-143000-a1b2.html`;
const COMMAND = 'php artisan test --parallel --processes=4 --stop-on-failure';
const MKCERT = `"C:\\Program Files\\mkcert\\mkcert.exe" -cert-file ${PROJECT}\\certs\\woosoo.pem -key-file ${PROJECT}\\certs\\woosoo-key.pem 192.168.100.200 localhost 127.0.0.1 ::1`;
const WHEN = '2026-02-15T14:30:00.000Z';

/** What a view must show of one type's objects. */
interface Case {
  /** Objects as the engine sends them ("$type" first); the script makes them Woosoo.<$type> objects as the module does. */
  items: Record<string, unknown>[];
  /** The default view is a table (also checked through Format-Table); otherwise a list. */
  table: boolean;
  /** Column headers (table) or labels (list) that must be there at every width. */
  headers: string[];
  /** Values that must appear whole at 80 and 200 columns, and the ones only checked at 200 (long paths). */
  whole: string[];
  whole200?: string[];
  /** Long text whose every word must appear whole at both widths (wrapped, never cut; a word over 30 characters, a
   * path, may be broken where no column is that wide: whole200 checks those). */
  words?: string[];
  /** Named list views of a table type (Format-List -View), checked at both widths for width and words. */
  lists?: { view: string; labels: string[]; words: string[] }[];
  /** The status value the table colours red (or yellow) where the host renders ANSI. */
  coloured?: string;
}

const CASES: Record<string, Case> = {
  Service: {
    table: true,
    items: [
      { $type: 'Service', Name: 'woosoo-backend', DisplayName: 'Woosoo Production HTTP backend (php artisan serve)', Status: 'Running', StartType: 'Automatic', ProcessId: 123456, StartTime: WHEN, Uptime: 'PT1047845.000S', Restarts: 12, LastExitCode: 0, Application: 'C:\\php\\php.exe', Arguments: 'artisan serve --host=127.0.0.1 --port=8001 --no-reload', WorkingDirectory: `${PROJECT}\\apps\\woosoo-nexus`, StdoutLog: `${PROJECT}\\logs\\woosoo-backend\\output.log`, StderrLog: `${PROJECT}\\logs\\woosoo-backend\\error.log`, DependsOn: ['MariaDB'], Port: 8001, Backend: 'NSSM', ProjectPath: PROJECT, Remarks: null },
      { $type: 'Service', Name: 'woosoo-production-scheduler', DisplayName: 'Woosoo Production scheduler', Status: 'StopPending', StartType: 'AutomaticDelayed', ProcessId: 4194304, StartTime: WHEN, Uptime: 'PT5.000S', Restarts: 0, LastExitCode: null, Application: 'C:\\php\\php.exe', Arguments: 'artisan schedule:work', WorkingDirectory: PROJECT, StdoutLog: 'out.log', StderrLog: 'err.log', DependsOn: [], Port: null, Backend: 'NSSM', ProjectPath: PROJECT, Remarks: null },
      { $type: 'Service', Name: 'woosoo-queue-worker', DisplayName: 'Woosoo Production queue worker', Status: 'Failed', StartType: 'Manual', ProcessId: null, StartTime: null, Uptime: 'PT10641906.000S', Restarts: 15, LastExitCode: 255, Application: 'C:\\php\\php.exe', Arguments: 'artisan queue:work', WorkingDirectory: PROJECT, StdoutLog: 'out.log', StderrLog: 'err.log', DependsOn: [], Port: 33306, Backend: 'NSSM', ProjectPath: PROJECT, Remarks: MESSAGE },
    ],
    headers: ['Name', 'Status', 'StartType', 'PID', 'Uptime', 'Restarts', 'Port'],
    whole: ['woosoo-backend', 'woosoo-queue-worker', 'Running', 'Automatic', 'StopPending', '123456', '4194304', '12.03:04:05', '123.04:05:06', '8001', '33306'],
    lists: [{ view: 'Woosoo.Service.List', labels: ['DisplayName', 'Backend', 'Remarks', 'WorkingDirectory'], words: [MESSAGE, 'Woosoo Production HTTP backend (php artisan serve)'] }],
    coloured: 'Failed',
  },
  Config: {
    table: false,
    items: [{ $type: 'Config', ENVIRONMENT: 'production', APP_NAME: 'Woosoo Production', APP_IP: '192.168.100.200', HTTP_PORT: 8001, BACKEND_PORT: 8002, REVERB_PORT: 8080, DB_HOST: '127.0.0.1', DB_PORT: 33306, DB_DATABASE: 'woosoo', DB_USERNAME: 'woosoo', DB_PASSWORD: '********', SERVICE_MANAGER: 'nssm', ProjectPath: PROJECT }],
    headers: ['ENVIRONMENT', 'HTTP_PORT', 'DB_PORT', 'ProjectPath'],
    whole: ['production', '192.168.100.200', '8001', '33306', '********'],
    whole200: [PROJECT],
  },
  ConfigValue: {
    table: true,
    items: [
      { $type: 'ConfigValue', Name: 'DB_PORT', Value: 33306, Group: 'Database', Secret: false, Source: 'File', Line: 123 },
      { $type: 'ConfigValue', Name: 'PREFLIGHT_PROBE_TIMEOUT_SECONDS', Value: 10, Group: 'Preflight', Secret: false, Source: 'Default' },
      { $type: 'ConfigValue', Name: 'BACKUP_STORAGE_PATH', Value: `${PROJECT}\\apps\\woosoo-nexus\\storage\\app`, Group: 'Backups', Secret: false, Source: 'File', Line: 456 },
    ],
    headers: ['Name', 'Value', 'Source', 'Line'],
    whole: ['DB_PORT', '33306', '123', '456', 'PREFLIGHT_PROBE_TIMEOUT_SECONDS', 'Default'],
    whole200: [`${PROJECT}\\apps\\woosoo-nexus\\storage\\app`],
  },
  ConfigProblem: {
    table: true,
    items: [
      { $type: 'ConfigProblem', Key: 'DB_PORT', Rule: 'PortConflict', Severity: 'Error', Message: MESSAGE, Fix: FIX, Line: 123, File: `${PROJECT}\\deployment.config.env` },
      { $type: 'ConfigProblem', Key: 'PREFLIGHT_PROBE_TIMEOUT_SECONDS', Rule: 'Range', Severity: 'Warning', Message: 'PREFLIGHT_PROBE_TIMEOUT_SECONDS=0 is below 1.', Fix: 'Set it to a whole number from 1 to 600.', Line: 456, File: `${PROJECT}\\deployment.config.env` },
    ],
    headers: ['Key', 'Line', 'Message', 'Fix'],
    whole: ['DB_PORT', '123', '456', 'PREFLIGHT_PROBE_TIMEOUT_SECONDS', 'Error', 'Warning'],
    words: [MESSAGE, FIX],
  },
  ConfigKey: {
    table: false,
    items: [
      { $type: 'ConfigKey', Name: 'PREFLIGHT_PROBE_TIMEOUT_SECONDS', Group: 'Preflight', Type: 'whole number 1-600', Default: '10', Required: false, Secret: false, Help: MESSAGE },
      { $type: 'ConfigKey', Name: 'DEPLOY_HEALTH_CHECKS', Group: 'Deploy', Type: 'text', Default: 'Service *,Port *,Reverb WebSocket,Database,Queue *,HTTP *', Required: true, Secret: false, Help: FIX },
    ],
    headers: ['Name', 'Type', 'Default', 'Required', 'Secret', 'Help'],
    whole: ['PREFLIGHT_PROBE_TIMEOUT_SECONDS', 'DEPLOY_HEALTH_CHECKS', 'whole number 1-600'],
    whole200: ['Service *,Port *,Reverb WebSocket,Database,Queue *,HTTP *'],
    words: [MESSAGE, FIX],
  },
  PreflightCheck: {
    table: true,
    items: [
      { $type: 'PreflightCheck', Category: 'Network', Name: 'PortConflict BACKEND_PORT', Status: 'Fail', Critical: true, Expected: 'free', Actual: 'held by mysqld.exe (PID 4242)', Message: MESSAGE, Fix: FIX, Duration: 'PT1.234S' },
      { $type: 'PreflightCheck', Category: 'Network', Name: 'HTTP_PORT', Status: 'Pass', Critical: true, Expected: 'free', Actual: 'free', Message: 'Port 8001 is free.', Fix: '', Duration: 'PT0.012S' },
    ],
    headers: ['Name', 'Status', 'Message', 'Fix'],
    whole: ['Fail', 'Pass', 'Category: Network'],
    words: [MESSAGE, FIX, 'PortConflict BACKEND_PORT', 'Port 8001 is free.'],
    lists: [{ view: 'Detailed', labels: ['Critical', 'Actual', 'Fix'], words: [MESSAGE, FIX] }],
    coloured: 'Fail',
  },
  HealthCheck: {
    table: true,
    items: [
      { $type: 'HealthCheck', Category: 'Service', Name: 'Port DB_PORT', Status: 'Unhealthy', Value: 33306, Threshold: null, LatencyMs: 1234, Message: MESSAGE, Target: '127.0.0.1:33306', Time: WHEN },
      { $type: 'HealthCheck', Category: 'Service', Name: 'Service woosoo-queue-worker', Status: 'Degraded', Value: 'StartPending', Threshold: null, LatencyMs: null, Message: 'woosoo-queue-worker is StartPending.', Target: 'woosoo-queue-worker', Time: WHEN },
    ],
    headers: ['Name', 'Status', 'Value', 'Message'],
    whole: ['Port DB_PORT', '33306', 'Unhealthy', 'StartPending'],
    words: [MESSAGE, 'Service woosoo-queue-worker'],
    coloured: 'Unhealthy',
  },
  ConfigChange: {
    table: true,
    items: [
      { $type: 'ConfigChange', App: 'backend', Path: LONG_PATH, Action: 'Update', Diff: `--- ${LONG_PATH}\n+++ ${LONG_PATH}\n-DB_PORT=3306\n+DB_PORT=33306`, LinesAdded: 123, LinesRemoved: 45, Template: 'templates\\backend.env.hbs', Check: '', BackupId: '2026-02-15_14-30-00', WhatIf: false },
      { $type: 'ConfigChange', App: 'nginx', Path: `${PROJECT}\\configs\\nginx.conf`, Action: 'Create', Diff: '', LinesAdded: 1234, LinesRemoved: 0, Template: 'templates\\nginx.conf.hbs', Check: 'nginx -t passed', BackupId: '2026-02-15_14-30-00', WhatIf: false },
    ],
    headers: ['App', 'Action', '+', '-', 'Path'],
    whole: ['backend', 'Update', '123', '45', '1234'],
    whole200: [LONG_PATH, `${PROJECT}\\configs\\nginx.conf`],
    lists: [{ view: 'Diff', labels: ['Path', 'Check', 'BackupId', 'Diff'], words: ['nginx -t passed', '2026-02-15_14-30-00'] }],
  },
  NewProject: {
    table: false,
    items: [{
      $type: 'NewProject', Path: PROJECT, ConfigPath: `${PROJECT}\\deployment.config.env`,
      Apps: ['laravel apps/woosoo-nexus (95 %: artisan, composer.json, bootstrap/app.php)', 'nuxt apps/tablet-ordering-pwa (95 %: package.json, nuxt)'],
      Notes: ['No Reverb in the backend (no laravel/reverb, no reverb:start command): REVERB_ENABLED=false.'],
      Content: '# deployment.config.env\nDB_PASSWORD=********\n', Written: true, BackupId: '2026-02-15_14-30-00',
    }],
    headers: ['ConfigPath', 'Written', 'BackupId', 'Apps', 'Notes'],
    whole: ['True', '2026-02-15_14-30-00'],
    words: ['laravel', 'apps/woosoo-nexus', 'REVERB_ENABLED=false.'],
    lists: [{ view: 'Content', labels: ['ConfigPath', 'Content'], words: ['DB_PASSWORD=********'] }],
  },
  LogEntry: {
    table: true,
    items: [{ $type: 'LogEntry', Timestamp: WHEN, Service: 'woosoo-queue-worker', Level: 'Error', Message: `${MESSAGE}\n#0 C:\\x.php(12): main()`, Source: `${PROJECT}\\logs\\woosoo-queue-worker\\error.log`, Line: 12345 }],
    headers: ['Timestamp', 'Service', 'Level', 'Message'],
    whole: ['woosoo-queue-worker', 'Error'],
    words: [MESSAGE],
    coloured: 'Error',
  },
  Certificate: {
    table: true,
    items: [{ $type: 'Certificate', Path: `${PROJECT}\\certs\\woosoo-production.pem`, Subject: 'O=mkcert development certificate', DnsNames: ['woosoo.local', 'localhost'], IPAddresses: ['192.168.100.200', '127.0.0.1', '::1'], Issuer: 'mkcert administrator@WOOSOO-SRV', NotBefore: WHEN, NotAfter: '2028-05-15T14:30:00.000Z', DaysLeft: 820, Trusted: true, Thumbprint: 'AB'.repeat(20), SerialNumber: '1234', KeyPath: `${PROJECT}\\certs\\woosoo-production-key.pem` }],
    headers: ['File', 'NotAfter', 'DaysLeft', 'Trusted', 'Names'],
    whole: ['woosoo-production.pem', '2028-05-15', '820', 'True', '192.168.100.200', 'woosoo.local', 'localhost'],
  },
  CertificateTest: {
    table: true,
    items: [
      { $type: 'CertificateTest', Path: `${PROJECT}\\certs\\woosoo-production.pem`, Check: 'Trust', Result: 'Warning', Message: MESSAGE, Fix: FIX },
      { $type: 'CertificateTest', Path: `${PROJECT}\\certs\\woosoo-production.pem`, Check: 'Expiry', Result: 'Passed', Message: 'Valid for 820 more days.', Fix: '' },
    ],
    headers: ['Check', 'Result', 'Message', 'Fix'],
    whole: ['Trust', 'Warning', 'Expiry', 'Passed'],
    whole200: [`${PROJECT}\\certs\\woosoo-production.pem`],
    words: [MESSAGE, FIX],
  },
  CertificatePlan: {
    table: false,
    items: [{ $type: 'CertificatePlan', Action: 'Replace', Command: MKCERT, Domains: ['192.168.100.200', 'localhost', '127.0.0.1', '::1'], CertificatePath: `${PROJECT}\\certs\\woosoo.pem`, KeyPath: `${PROJECT}\\certs\\woosoo-key.pem`, CARoot: 'C:\\Users\\administrator\\AppData\\Local\\mkcert', Replaces: true, BackupPath: `${PROJECT}\\certs\\previous\\20260215T143000Z` }],
    headers: ['Action', 'Domains', 'CertificatePath', 'KeyPath', 'CARoot', 'BackupPath', 'Command'],
    whole: ['Replace', '192.168.100.200'],
    whole200: [`${PROJECT}\\certs\\woosoo.pem`, `${PROJECT}\\certs\\previous\\20260215T143000Z`],
    words: [MKCERT],
  },
  CertificateTrust: {
    table: false,
    items: [{ $type: 'CertificateTrust', Mkcert: 'C:\\Program Files\\mkcert\\mkcert.exe', CARoot: 'C:\\Users\\administrator\\AppData\\Local\\mkcert', Command: '"C:\\Program Files\\mkcert\\mkcert.exe" -install', Installed: true, Output: 'The local CA is now installed in the system trust store! ⚡️ Note: Firefox support is not available on your platform.' }],
    headers: ['Installed', 'CARoot', 'Command', 'Output'],
    whole: ['True'],
    whole200: ['C:\\Users\\administrator\\AppData\\Local\\mkcert', '"C:\\Program Files\\mkcert\\mkcert.exe" -install'],
    words: ['The local CA is now installed in the system trust store!'],
  },
  BuildResult: {
    table: true,
    items: [
      { $type: 'BuildResult', App: 'Backend', Status: 'Failed', Duration: 'PT123.400S', Steps: ['composer install --no-dev', COMMAND], FailedCommand: COMMAND, ExitCode: 255, MigrationsRan: true, LogPath: LOG_PATH, Message: MESSAGE, AppPath: `${PROJECT}\\apps\\woosoo-nexus`, ProjectPath: PROJECT },
      { $type: 'BuildResult', App: 'Pwa', Status: 'Succeeded', Duration: 'PT1234.500S', Steps: ['npm ci', 'npm run build'], FailedCommand: '', ExitCode: null, MigrationsRan: false, LogPath: `${PROJECT}\\logs\\build\\2026-02-15_14-30-00\\pwa.log`, Message: 'Built.', AppPath: PROJECT, ProjectPath: PROJECT },
    ],
    headers: ['App', 'Status', 'Duration', 'ExitCode', 'FailedCommand', 'LogPath'],
    whole: ['Backend', 'Failed', '255', '123.4 s', '1,234.5 s'],
    whole200: [LOG_PATH, COMMAND],
    words: [COMMAND],
    lists: [{ view: 'Woosoo.BuildResult.List', labels: ['Steps', 'Message', 'LogPath'], words: [MESSAGE, COMMAND] }],
    coloured: 'Failed',
  },
  BuildPlan: {
    table: false,
    items: [{ $type: 'BuildPlan', App: 'Backend', Status: 'Blocked', AppPath: `${PROJECT}\\apps\\woosoo-nexus`, Commands: ['composer install --no-dev --optimize-autoloader --no-interaction', 'php artisan migrate --force'], Kinds: ['build', 'migrate'], Reason: FIX, ProjectPath: PROJECT }],
    headers: ['App', 'Status', 'AppPath', 'Commands', 'Reason'],
    whole: ['Blocked', 'php artisan migrate --force'],
    whole200: [`${PROJECT}\\apps\\woosoo-nexus`, 'composer install --no-dev --optimize-autoloader --no-interaction'],
    words: [FIX],
  },
  Backup: {
    table: true,
    items: [
      { $type: 'Backup', Id: '2026-02-15_14-30-00', CreatedAt: WHEN, Description: MESSAGE, Environment: 'production', Version: '2.4.1', Includes: ['Configs', 'Database', 'Files'], SizeBytes: 12345678901, FileCount: 12345, Creator: 'WOOSOO-SRV\\administrator', BackupPath: `${PROJECT}\\backups\\2026-02-15_14-30-00`, ProjectPath: PROJECT, Problem: '', Warnings: [] },
      { $type: 'Backup', Id: '2026-02-14_09-00-00-2', CreatedAt: WHEN, Description: '', Environment: 'production', Version: '', Includes: ['Configs'], SizeBytes: 1234, FileCount: 3, Creator: 'WOOSOO-SRV\\administrator', BackupPath: 'x', ProjectPath: PROJECT, Problem: 'metadata.json is missing.', Warnings: [] },
      { $type: 'Backup', Id: '2026-02-13_09-00-00', CreatedAt: WHEN, Description: 'nightly', Environment: 'production', Version: '', Includes: ['Configs'], SizeBytes: 1234, FileCount: 3, Creator: 'WOOSOO-SRV\\administrator', BackupPath: 'x', ProjectPath: PROJECT, Problem: '', Warnings: ['-IncludeFiles found no files in D:\\woosoo\\apps\\api\\storage\\app: the backup holds no uploads.'] },
    ],
    headers: ['Id', 'Size (MB)', 'Includes', 'Description'],
    whole: ['2026-02-15_14-30-00', '2026-02-14_09-00-00-2', '11,773.8', 'Configs', 'Database', 'Files'],
    words: [MESSAGE, 'DAMAGED: metadata.json is missing.', 'nightly WARNING: -IncludeFiles found no files'],
  },
  BackupVerification: {
    table: true,
    items: [{ $type: 'BackupVerification', Id: '2026-02-15_14-30-00', Valid: false, FilesChecked: 12345, Problems: [MESSAGE, 'configs/nginx.conf: the checksum differs.'], BackupPath: `${PROJECT}\\backups\\2026-02-15_14-30-00` }],
    headers: ['Id', 'Valid', 'Files', 'Problems'],
    whole: ['2026-02-15_14-30-00', 'False', '12345'],
    words: [MESSAGE, 'configs/nginx.conf: the checksum differs.'],
  },
  RestoreAction: {
    table: true,
    items: [
      { $type: 'RestoreAction', BackupId: '2026-02-15_14-30-00', Kind: 'File', Action: 'Replace', Target: `${PROJECT}\\apps\\woosoo-nexus\\storage\\app\\uploads\\menu\\2026\\february-specials.png`, Source: 'x', SizeBytes: 123456789012 },
      { $type: 'RestoreAction', BackupId: '2026-02-15_14-30-00', Kind: 'Database', Action: 'Import', Target: 'woosoo@127.0.0.1:33306', Source: 'x', SizeBytes: 98765 },
    ],
    headers: ['Action', 'Kind', 'Bytes', 'Target'],
    whole: ['Replace', 'Database', 'Import', '123456789012', '98765', 'woosoo@127.0.0.1:33306', 'BackupId: 2026-02-15_14-30-00'],
    whole200: [`${PROJECT}\\apps\\woosoo-nexus\\storage\\app\\uploads\\menu\\2026\\february-specials.png`],
  },
  RestoreResult: {
    table: false,
    items: [{ $type: 'RestoreResult', BackupId: '2026-02-15_14-30-00', SafetyBackupId: '2026-02-16_08-00-00', FilesRestored: 12345, DatabaseRestored: true, Actions: [] }],
    headers: ['BackupId', 'FilesRestored', 'DatabaseRestored', 'SafetyBackupId', 'Undo with'],
    whole: ['12345', 'Restore-WoosooBackup -Id 2026-02-16_08-00-00'],
  },
  BackupKey: {
    table: false,
    items: [{ $type: 'BackupKey', KeyId: '3f9c2a7b1d4e8f60', Path: `${PROJECT}\\.woosoo\\backup.key`, Protection: 'DpapiMachine', ProjectPath: PROJECT }],
    headers: ['KeyId', 'Protection', 'Path', 'Keep a copy'],
    whole: ['3f9c2a7b1d4e8f60', 'DpapiMachine'],
    whole200: [`${PROJECT}\\.woosoo\\backup.key`],
    words: ['Store a copy of this key file away from the backups: encrypted backups cannot be restored without it.'],
  },
  Deployment: {
    table: true,
    items: [
      { $type: 'Deployment', Id: '20260215-143000-a1b2', Scope: 'Backend', Status: 'RollbackFailed', StartedAt: WHEN, Duration: 'PT1234.500S', BackupId: '2026-02-15_14-30-00', FailedStep: 'PlaceArtifacts', Steps: [{ $type: 'DeployStep', DeploymentId: '20260215-143000-a1b2', Name: 'PlaceArtifacts', Status: 'Failed', StartedAt: WHEN, Duration: 'PT12.300S', Message: MESSAGE, OutputLog: '', ProjectPath: PROJECT }], ReportPath: REPORT, JsonReportPath: REPORT.replace('.html', '.json'), Error: MESSAGE, LeftToDo: [FIX], Host: 'WOOSOO-SRV', User: 'administrator', Environment: 'production', ProjectPath: PROJECT },
      { $type: 'Deployment', Id: '20260214-090000-ffff', Scope: 'Full', Status: 'Succeeded', StartedAt: WHEN, Duration: 'PT98.700S', BackupId: '2026-02-14_09-00-00', FailedStep: '', Steps: [], ReportPath: REPORT, JsonReportPath: '', Error: '', LeftToDo: [], Host: 'WOOSOO-SRV', User: 'administrator', ProjectPath: PROJECT },
    ],
    headers: ['Id', 'Status', 'StartedAt', 'Duration', 'FailedStep'],
    whole: ['20260215-143000-a1b2', 'RollbackFailed', 'PlaceArtifacts', 'Succeeded', '1,234.5 s', '98.7 s'],
    lists: [{ view: 'Woosoo.Deployment.List', labels: ['Scope', 'Environment', 'BackupId', 'Error', 'LeftToDo', 'Steps', 'ReportPath'], words: [MESSAGE, FIX, '2026-02-15_14-30-00', 'production'] }],
    coloured: 'RollbackFailed',
  },
  DeployStep: {
    table: true,
    items: [
      { $type: 'DeployStep', DeploymentId: '20260215-143000-a1b2', Name: 'PlaceArtifacts', Status: 'Failed', StartedAt: WHEN, Duration: 'PT1234.500S', Message: MESSAGE, OutputLog: `${PROJECT}\\logs\\deployment\\20260215-143000-a1b2\\place.log`, ProjectPath: PROJECT },
      { $type: 'DeployStep', DeploymentId: '20260215-143000-a1b2', Name: 'StartServices', Status: 'Cancelled', StartedAt: WHEN, Duration: 'PT0.400S', Message: 'Cancelled.', OutputLog: '', ProjectPath: PROJECT },
    ],
    headers: ['Name', 'Status', 'Duration', 'Message'],
    whole: ['PlaceArtifacts', 'StartServices', 'Failed', 'Cancelled', '1,234.5 s', '0.4 s'],
    words: [MESSAGE],
    lists: [{ view: 'Woosoo.DeployStep.List', labels: ['DeploymentId', 'Message', 'OutputLog'], words: [MESSAGE] }],
    coloured: 'Failed',
  },
  DeployPlanStep: {
    table: false,
    items: [{ $type: 'DeployPlanStep', Order: 10, Name: 'PlaceArtifacts', Description: MESSAGE, Commands: [COMMAND, 'php artisan queue:restart'], ProjectPath: PROJECT }],
    headers: ['Order', 'Name', 'Description', 'Commands'],
    whole: ['PlaceArtifacts', 'php artisan queue:restart'],
    whole200: [COMMAND],
    words: [MESSAGE],
  },
  DashboardUser: {
    table: true,
    items: [
      { $type: 'DashboardUser', Name: 'admin', Role: 'admin', Created: WHEN, Updated: WHEN, Replaced: false, UsersFile: `${PROJECT}\\.woosoo\\users.json` },
      { $type: 'DashboardUser', Name: 'night-shift', Role: 'operator', Created: WHEN, Updated: WHEN, Replaced: true, UsersFile: `${PROJECT}\\.woosoo\\users.json` },
    ],
    headers: ['Name', 'Role', 'Action', 'Updated'],
    whole: ['admin', 'night-shift', 'operator', 'Added', 'Replaced'],
  },
  DashboardInfo: {
    table: true,
    items: [
      { $type: 'DashboardInfo', Url: 'https://192.168.100.200:65535/', Pid: 4194304, State: 'Running', Port: 65535, BindAddress: '192.168.100.200', Https: true, Environment: 'production', StartedAt: WHEN, ProjectPath: PROJECT },
      { $type: 'DashboardInfo', Url: null, Pid: null, State: 'Stopped', Port: null, BindAddress: null, Https: false, Environment: null, StartedAt: null, ProjectPath: PROJECT },
    ],
    headers: ['State', 'Pid', 'Url', 'StartedAt'],
    whole: ['Running', 'Stopped', '4194304', 'https://192.168.100.200:65535/'],
  },
  ScheduledTask: {
    table: true,
    items: [
      { $type: 'ScheduledTask', Name: 'Deploy-woosoo-production', TaskPath: '\\Woosoo\\', Job: 'Deploy', ProjectPath: PROJECT, Environment: 'production', Schedule: 'Mon, Fri at 02:00', User: 'SYSTEM', Command: 'C:\\Program Files\\PowerShell\\7\\pwsh.exe', Arguments: '-NoProfile -File x.ps1', Enabled: true, Registered: true, Xml: '<Task />' },
      { $type: 'ScheduledTask', Name: 'Health-woosoo', TaskPath: '\\Woosoo\\', Job: 'Health', ProjectPath: PROJECT, Environment: '', Schedule: 'Daily 00:00, every 5 min', User: 'WEB01\\deployer', Command: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', Arguments: '-NoProfile -File y.ps1', Enabled: true, Registered: false, Xml: '<Task />' },
    ],
    headers: ['Name', 'Schedule', 'User', 'Project'],
    whole: ['Deploy-woosoo-production', 'Health-woosoo', 'SYSTEM', '02:00'],
    whole200: [PROJECT, 'Mon, Fri at 02:00', 'Daily 00:00, every 5 min'],
  },
  DiagnosticsBundle: {
    table: false,
    items: [{
      $type: 'DiagnosticsBundle', Path: `${PROJECT}\\logs\\diagnostics\\woosoo-diagnostics-WEB01-20260215-143000.zip`, SizeBytes: 48_213,
      ProjectPath: PROJECT, CreatedAt: WHEN, Entries: ['summary.txt', 'errors.json', 'versions.json'],
      PartsOk: ['Configuration', 'ConfigTest', 'Preflight', 'Services', 'Logs', 'Deployments', 'EngineLog'], PartsFailed: ['Health'],
      Errors: [`Health: ConfigInvalid: ${PROJECT}\\deployment.config.env has 1 problem(s); nothing was changed:\n  - HTTP_PORT`], Duration: 'PT3.250S',
    }],
    headers: ['Path', 'Size', 'ProjectPath', 'PartsOk', 'PartsFailed', 'Errors', 'Duration'],
    whole: ['48 KB, 3 files', 'Health', '00:00:03.2500000'],
    whole200: [`${PROJECT}\\logs\\diagnostics\\woosoo-diagnostics-WEB01-20260215-143000.zip`],
    words: ['Configuration,', 'ConfigTest,', 'EngineLog', 'ConfigInvalid:'],
  },
  AuditEntry: {
    table: true,
    items: [
      { $type: 'AuditEntry', Time: WHEN, User: 'WOOSOO-SRV\\administrator', Host: 'WOOSOO-SRV', Command: 'Invoke-WoosooDeploy', Method: 'deploy.run', Parameters: { Scope: 'All' }, WhatIf: false, Outcome: 'Succeeded', Duration: 'PT312.045S', Environment: 'production', DeploymentId: '20260215-143000-a1b2', BackupId: '2026-02-15_14-30-00', ErrorId: '', Message: '', ProjectPath: PROJECT },
      { $type: 'AuditEntry', Time: WHEN, User: 'administrator', Host: 'WOOSOO-SRV', Command: 'Install-WoosooCertificateTrust', Method: 'cert.trust', Parameters: {}, WhatIf: true, Outcome: 'Refused', Duration: 'PT0.120S', Environment: '', DeploymentId: '', BackupId: '', ErrorId: 'ConfigValueInvalid', Message: MESSAGE, ProjectPath: PROJECT },
      { $type: 'AuditEntry', Time: WHEN, User: 'administrator', Host: 'WOOSOO-SRV', Command: 'Stop-WoosooService', Method: '', Parameters: { Name: ['woosoo-reverb'] }, WhatIf: false, Outcome: 'Declined', Duration: 'PT0.000S', Environment: '', DeploymentId: '', BackupId: '', ErrorId: '', Message: '', ProjectPath: PROJECT },
    ],
    headers: ['Time', 'User', 'Command', 'Result'],
    whole: ['Invoke-WoosooDeploy', 'Succeeded', 'Refused', 'Declined', 'administrator', 'Stop-WoosooService', '20260215-143000-a1b2', '2026-02-15_14-30-00', 'ConfigValueInvalid', '(WhatIf)'],
  },
};

const WIDTHS = [80, 200] as const;
/** Widths in between: no column may shrink to a sliver there (its header wrapped letter by letter). */
const BETWEEN = [90, 120] as const;
type Renders = Record<string, Record<string, string>>;

/**
 * One pwsh: the engine's JSON becomes Woosoo.<$type> objects through the module's own converter (ConvertTo-WoosooValue:
 * ISO dates [datetime], ISO durations [timespan]), then every render lands in a JSON file (not the pipeline: no width
 * limit).
 */
function renderAll(outFile: string): ReturnType<typeof runPwsh> {
  const input = Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(CASES).map(([k, c]) => [k, { items: c.items, table: c.table, lists: (c.lists ?? []).map((l) => l.view) }]))), 'utf8').toString('base64');
  return runPwsh(`
    [System.Threading.Thread]::CurrentThread.CurrentCulture = [System.Globalization.CultureInfo]::GetCultureInfo('en-US')
    function ConvertTo-ViewTestObject($Value) { & (Get-Module Woosoo) { param($v) ConvertTo-WoosooValue $v } $Value }
    $cases = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${input}')) | ConvertFrom-Json
    $out = [ordered]@{}
    foreach ($case in $cases.PSObject.Properties) {
      $objects = @($case.Value.items | ForEach-Object { ConvertTo-ViewTestObject $_ })
      $r = [ordered]@{}
      $PSStyle.OutputRendering = 'PlainText'
      foreach ($w in ${[...BETWEEN].join(',')}) { $r["default$w"] = $objects | Out-String -Width $w }
      foreach ($w in ${[...WIDTHS].join(',')}) {
        $r["default$w"] = $objects | Out-String -Width $w
        if ($case.Value.table) { $r["table$w"] = $objects | Format-Table | Out-String -Width $w }
        foreach ($view in @($case.Value.lists)) { $r["list:$($view):$w"] = $objects | Format-List -View $view | Out-String -Width $w }
      }
      $PSStyle.OutputRendering = 'Ansi'
      $r['ansi80'] = $objects | Out-String -Width 80
      $out[$case.Name] = $r
    }
    [IO.File]::WriteAllText('${outFile}', ($out | ConvertTo-Json -Depth 20 -Compress), [Text.UTF8Encoding]::new($false))
  `);
}

const ESC = String.fromCharCode(27);
const plain = (s: string) => s.replace(new RegExp(`${ESC}\\[[0-9;]*[A-Za-z]`, 'g'), '');
const lines = (s: string) => plain(s).split(/\r?\n/);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The value as a whole token: not glued to letters, digits or a dot on either side (8001 is not in 18001 or 8001.5). */
const token = (v: string) => new RegExp(`(?<![\\w.])${escape(v)}(?![\\w]|\\.\\d)`);
const words = (text: string) => text.split(/\s+/).filter((w) => w.length > 0 && w.length <= 30);

function expectFits(text: string, width: number, where: string): void {
  const wide = lines(text).filter((l) => l.length > width);
  expect(wide, `${where}: lines wider than ${width}`).toEqual([]);
}
/** PowerShell marks a value it cut with "…": a view must wrap or fit instead. */
function expectUncut(text: string, where: string): void {
  expect(lines(text).filter((l) => l.includes('\u2026')), `${where}: values cut in\n${text}`).toEqual([]);
}
function expectWhole(text: string, values: string[], where: string): void {
  const missing = values.filter((v) => !token(v).test(plain(text)));
  expect(missing, `${where}: values not shown whole in\n${text}`).toEqual([]);
}
function expectWords(text: string, texts: string[], where: string): void {
  const missing = texts.flatMap(words).filter((w) => !plain(text).includes(w));
  expect(missing, `${where}: words cut or missing in\n${text}`).toEqual([]);
}
/** Headers are on the line above the dashes (a table) or before " : " (a list). */
function expectHeaders(text: string, headers: string[], table: boolean, where: string): void {
  const ls = lines(text);
  const found = table
    ? ls.flatMap((l, i) => (i + 1 < ls.length && /^[-\s]+$/.test(ls[i + 1]) && /-/.test(ls[i + 1]) ? l.trim().split(/\s+/) : []))
    : ls.map((l) => l.match(/^(\S[^:]*?)\s+: ?/)?.[1]).filter((x): x is string => Boolean(x));
  const joined = ` ${found.join(' ')} `;
  const missing = headers.filter((h) => !joined.includes(` ${h} `));
  expect(missing, `${where}: headers missing in\n${text}`).toEqual([]);
}

describePwsh('the views at 80 and 200 columns', () => {
  let renders: Renders = {};
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'woosoo-views-'));
    const file = join(dir, 'renders.json');
    const r = renderAll(file);
    if (r.status !== 0) throw new Error(`pwsh exited ${r.status}:\n${r.stderr}\n${r.console}`);
    renders = JSON.parse(readFileSync(file, 'utf8'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('covers every type that has a view in formats/', () => {
    const views = readFileSync(join(ROOT, 'Woosoo.psd1'), 'utf8').match(/formats\/[\w.]+\.ps1xml/g) ?? [];
    const types = new Set(views.flatMap((f) => [...readFileSync(join(ROOT, f), 'utf8').matchAll(/<TypeName>Woosoo\.(\w+)<\/TypeName>/g)].map((m) => m[1])));
    expect([...types].sort()).toEqual(Object.keys(CASES).sort());
  });

  describe.each(Object.keys(CASES))('Woosoo.%s', (type) => {
    const c = CASES[type];
    it.each(WIDTHS)('fits %i columns, with its headers and its values whole', (width) => {
      const texts = [['default', renders[type][`default${width}`]], ...(c.table ? [['Format-Table', renders[type][`table${width}`]]] : [])];
      for (const [how, text] of texts) {
        const where = `${type} ${how} at ${width}`;
        expect(text.trim(), where).not.toBe('');
        expectFits(text, width, where);
        expectUncut(text, where);
        expectHeaders(text, c.headers, c.table, where);
        expectWhole(text, [...c.whole, ...(width === 200 ? c.whole200 ?? [] : [])], where);
        expectWords(text, c.words ?? [], where);
      }
    });
    it.each(BETWEEN)('keeps every header whole at %i columns too', (width) => {
      const text = renders[type][`default${width}`];
      expectFits(text, width, `${type} at ${width}`);
      expectUncut(text, `${type} at ${width}`);
      expectHeaders(text, c.headers, c.table, `${type} at ${width}`);
      expectWhole(text, c.whole, `${type} at ${width}`);
    });
    if (c.lists) {
      it.each(WIDTHS)('its list views fit %i columns with every word', (width) => {
        for (const l of c.lists!) {
          const text = renders[type][`list:${l.view}:${width}`];
          const where = `${type} Format-List -View ${l.view} at ${width}`;
          expectFits(text, width, where);
          expectUncut(text, where);
          expectHeaders(text, l.labels, false, where);
          expectWords(text, l.words, where);
        }
      });
    }
    if (c.coloured) {
      it(`colours ${c.coloured} where the host renders ANSI, within 80 visible columns`, () => {
        const text = renders[type].ansi80;
        expect(text).toMatch(new RegExp(`${ESC}\\[3[13]m${c.coloured}`));
        expectFits(text, 80, `${type} ANSI at 80`);
        expectUncut(text, `${type} ANSI at 80`);
        expectWhole(text, c.whole, `${type} ANSI at 80`);
      });
    }
  });
});
