/**
 * The release as an admin installs it, in the real pwsh with PowerShell's own package manager (PSResourceGet), in a
 * throwaway HOME (its repositories and installed modules live there, not in the user's):
 *   - Woosoo.<version>.nupkg (npm run package → dist/release/linux-x64) is published with Publish-PSResource to a
 *     folder repository registered with -Trusted, and installed with Install-PSResource;
 *   - the installed files match the package's SHA256SUMS; LICENSE and THIRD-PARTY-NOTICES are there;
 *   - in a fresh pwsh whose PATH has no node: Import-Module Woosoo, Get-WoosooConfig, Test-WoosooConfig,
 *     Test-WoosooPreflight and Invoke-WoosooDeploy -WhatIf on a copy of the demo, through the installed executable;
 *   - upgrade: a session using version N (its engine running) installs N+1 (an engine built to report N+1); the next
 *     Import-Module stops N's engine and starts N+1's; the project's files are untouched;
 *   - Uninstall-PSResource leaves nothing behind.
 * Linux tier only: PSResourceGet under Wine would cost minutes and test Wine more than the package (docs/release.md).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs modules shared with npm run package
import { isolatedPwshEnv, releasePlatform, releaseVersion } from '../../scripts/release.mjs';
// @ts-expect-error idem
import { packageTarget } from '../../scripts/package.mjs';
import { ROOT } from '../support/engine';
import { IN_CI, pwsh, TIER } from '../support/pwsh';

const work = mkdtempSync(join(tmpdir(), 'woosoo-install-'));
const home = join(work, 'home');
const demo = join(work, 'demo');
const installed = join(home, '.local', 'share', 'powershell', 'Modules', 'Woosoo');
const version = releaseVersion();
const next = version.replace(/(\d+)$/, (n: string) => String(Number(n) + 1));
const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** One pwsh in the throwaway HOME; its last output line is JSON. PATH is what the step group is given. */
function ps(script: string, path = process.env.PATH ?? '') {
  const r = spawnSync(pwsh.path, ['-NoProfile', '-NonInteractive', '-Command',
    `$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'\n${script}`],
  { cwd: home, env: isolatedPwshEnv(home, { PATH: path }), encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`pwsh failed (${r.status}): ${r.stderr}\n${r.stdout}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? 'null');
}

function hashTree(dir: string, skip = /^$/) {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name)).filter((f) => !skip.test(relative(dir, f))).sort();
  return Object.fromEntries(files.map((f) => [relative(dir, f), createHash('sha256').update(readFileSync(f)).digest('hex')]));
}

const why = TIER === 'windows' ? 'the Linux tier installs the linux-x64 package; the Windows tier runs the executable (module.e2e.test.ts)'
  : !pwsh.available ? pwsh.reason : '';
const suite = why && !(IN_CI && TIER !== 'windows') ? describe.skip : describe;

suite(`Install-PSResource Woosoo from a folder repository (real pwsh)${why ? ` — skipped: ${why}` : ''}`, { timeout: 180_000 }, () => {
  let repoN = '';
  let repoNext = '';
  let install: any;
  let use: any;
  let upgrade: any;

  beforeAll(() => {
    // Both packages cached by content (dist/release and dist/linux-x64-v<next>): cold, ~20 s each for the executable
    // and ~8 s each for Publish-PSResource; warm, the staging and hashing only.
    repoN = join(ROOT, 'dist', 'release', 'linux-x64');
    releasePlatform('linux-x64');
    repoNext = join(ROOT, 'dist', 'upgrade-test', `linux-x64-v${next}`);
    releasePlatform('linux-x64', { version: next, exe: packageTarget('linux-x64', undefined, { version: next }), outDir: repoNext });
    mkdirSync(home);
    mkdirSync(join(work, 'repo'));
    cpSync(join(ROOT, 'examples', 'demo'), demo, { recursive: true });
    install = ps(`Register-PSResourceRepository -Name WoosooTest -Uri ${q(join(work, 'repo'))} -Trusted
      Publish-PSResource -NupkgPath ${q(join(repoN, `Woosoo.${version}.nupkg`))} -Repository WoosooTest
      Install-PSResource Woosoo -Repository WoosooTest
      $r = Get-InstalledPSResource Woosoo
      [pscustomobject]@{ Version = [string]$r.Version; Location = $r.InstalledLocation; Published = @(Get-ChildItem ${q(join(work, 'repo'))} -Name) } | ConvertTo-Json -Compress`);
  }, 300_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('installs version N from the folder repository Publish-PSResource wrote', () => {
    expect(install).toMatchObject({ Version: version, Published: [`Woosoo.${version}.nupkg`] });
    expect(existsSync(join(installed, version, 'Woosoo.psd1'))).toBe(true);
  });

  it('installs files that match the package\'s SHA256SUMS, with LICENSE and THIRD-PARTY-NOTICES', () => {
    const dir = join(installed, version);
    const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.split('  '));
    const got = hashTree(dir);
    for (const [sum, file] of sums) expect({ file, sum: got[file] }).toEqual({ file, sum });
    // The format is sha256sum's: an admin checks a package with `sha256sum -c SHA256SUMS`.
    const check = spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
    expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({ status: 0, out: '' });
    expect(sums.map(([, f]) => f)).toEqual(expect.arrayContaining(['bin/woosoo-engine', 'LICENSE', 'THIRD-PARTY-NOTICES', 'Woosoo.psd1']));
    expect(sums.map(([, f]) => f)).not.toContain('bin/woosoo-engine.cjs');
    const notices = readFileSync(join(dir, 'THIRD-PARTY-NOTICES'), 'utf8');
    expect(notices).toMatch(/^zod \d/m);
    expect(notices).toMatch(new RegExp(`^Node\\.js ${process.version.replace(/\./g, '\\.')}`, 'm'));
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it('runs from the installed package in a pwsh with no node on PATH', () => {
    // PATH: the folder of dotnet only (.tools/pwsh/pwsh is a .NET tool's launcher and runs it); pwsh is started by its
    // full path, and the engine is the installed executable.
    const dotnet = spawnSync('sh', ['-c', 'command -v dotnet'], { encoding: 'utf8' }).stdout.trim();
    const onlyDotnet = dotnet ? dirname(realpathSync(dotnet)) : '';
    use = ps(`Import-Module Woosoo
      $m = Get-Module Woosoo
      $c = Get-WoosooConfig -Path ${q(demo)}
      $t = Test-WoosooConfig -Path ${q(demo)} -Quiet
      $checks = @(Test-WoosooPreflight -Path ${q(demo)})
      $plan = @(Invoke-WoosooDeploy -Path ${q(demo)} -WhatIf)
      $info = (& $m { Invoke-WoosooRpc -Method 'engine.info' -Params @{} -ResultOnly }).value
      [pscustomobject]@{
        NodeFound = [bool](Get-Command node -ErrorAction SilentlyContinue)
        ModuleBase = $m.ModuleBase; ModuleVersion = [string]$m.Version; EngineVersion = $info.engineVersion
        EngineFile = (& $m { Get-WoosooEngineCommand }).FileName
        ConfigType = $c.PSObject.TypeNames[0]; Port = $c.HTTP_PORT; Valid = $t
        CheckTypes = @($checks | ForEach-Object { $_.PSObject.TypeNames[0] } | Select-Object -Unique); PlanSteps = $plan.Count
      } | ConvertTo-Json -Depth 5 -Compress`, onlyDotnet);
    expect(use).toMatchObject({ NodeFound: false, ModuleBase: join(installed, version), ModuleVersion: version, EngineVersion: version,
      EngineFile: join(installed, version, 'bin', 'woosoo-engine'), ConfigType: 'Woosoo.Config', Port: 8088, CheckTypes: ['Woosoo.PreflightCheck'] });
    expect(typeof use.Valid).toBe('boolean');
    expect(use.PlanSteps).toBeGreaterThan(0);
  });

  it('upgrades: the next Import-Module stops the engine of N and starts N+1\'s; uninstalling leaves nothing', () => {
    // The project's files but its logs (the engine logs each request there).
    const projectFiles = /^logs\//;
    const demoBefore = hashTree(demo, projectFiles);
    upgrade = ps(`Import-Module Woosoo
      $null = Get-WoosooConfig -Path ${q(demo)}
      $oldPid = & (Get-Module Woosoo) { $script:WoosooEngine.Process.Id }
      $oldVersion = [string](Get-Module Woosoo).Version
      Publish-PSResource -NupkgPath ${q(join(repoNext, `Woosoo.${next}.nupkg`))} -Repository WoosooTest
      Install-PSResource Woosoo -Repository WoosooTest -Version ${q(next)}
      $oldRunning = [bool](Get-Process -Id $oldPid -ErrorAction SilentlyContinue)
      Import-Module Woosoo
      $m = @(Get-Module Woosoo)
      $null = Get-WoosooConfig -Path ${q(demo)}
      $info = (& $m[0] { Invoke-WoosooRpc -Method 'engine.info' -Params @{} -ResultOnly }).value
      $new = [pscustomobject]@{ OldVersion = $oldVersion; OldRunningBeforeImport = $oldRunning; OldExited = -not (Get-Process -Id $oldPid -ErrorAction SilentlyContinue)
        Loaded = @($m | ForEach-Object { [string]$_.Version }); EngineVersion = $info.engineVersion; EnginePid = $info.pid
        EngineFile = (& $m[0] { Get-WoosooEngineCommand }).FileName }
      Remove-Module Woosoo
      Uninstall-PSResource Woosoo -Version '*' -SkipDependencyCheck
      $new | Add-Member -PassThru -NotePropertyName Left -NotePropertyValue @(Get-InstalledPSResource Woosoo -ErrorAction SilentlyContinue).Count | ConvertTo-Json -Compress`);
    expect(upgrade).toMatchObject({ OldVersion: version, OldRunningBeforeImport: true, OldExited: true, Loaded: [next],
      EngineVersion: next, EngineFile: join(installed, next, 'bin', 'woosoo-engine'), Left: 0 });
    expect(existsSync(installed)).toBe(false);
    expect(hashTree(demo, projectFiles)).toEqual(demoBefore);
  });
});
