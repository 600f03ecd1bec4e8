/**
 * The release's parts that need no pwsh (scripts/release.mjs): one version (package.json) in the manifest, the engine
 * and the package; the version stamped into a staged manifest and into an engine built for another version; the
 * license; the third-party notices cover every npm package in the bundle with its license text, and Node.js's; the
 * staged module's SHA256SUMS. The package installed with Install-PSResource: install.e2e.test.ts.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs modules shared with npm run package
import { bundledPackages, MODULE_PARTS, releaseVersion, sha256Sums, stageModule, stampManifest, thirdPartyNotices } from '../../scripts/release.mjs';
// @ts-expect-error idem
import { bundleForVersion } from '../../scripts/package.mjs';
// @ts-expect-error idem
import { startEngine } from '../../bench/lib/engine.mjs';
import { ROOT } from '../support/engine';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const manifest = readFileSync(join(ROOT, 'Woosoo.psd1'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'woosoo-release-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('one version: package.json', () => {
  it('is the manifest\'s ModuleVersion and the engine\'s engineVersion', async () => {
    expect(releaseVersion()).toBe(pkg.version);
    expect(/^\s*ModuleVersion\s*=\s*'([^']+)'/m.exec(manifest)?.[1]).toBe(pkg.version);
    const engine = startEngine({});
    try {
      const init = await engine.call('initialize', { protocolVersion: '1.0' });
      expect(init.result.engineVersion).toBe(pkg.version);
    } finally {
      await engine.close();
    }
  });

  it('is stamped into a staged manifest, with the platform as a tag', () => {
    const stamped = stampManifest(manifest, '9.8.7', 'win-x64');
    expect(stamped).toMatch(/^\s*ModuleVersion\s*=\s*'9\.8\.7'/m);
    expect(stamped).toMatch(/Tags\s*=\s*@\('win-x64', /);
    expect(() => stampManifest('@{ }', '1.0.0', 'win-x64')).toThrow(/ModuleVersion/);
  });

  it('is the one the engine built for another version reports (the upgrade test\'s N+1)', () => {
    const bundle = readFileSync(join(ROOT, 'bin', 'woosoo-engine.cjs'), 'utf8');
    const other = bundleForVersion(bundle, '9.8.7');
    expect(other).not.toBe(bundle);
    expect(other.replace('"9.8.7"', JSON.stringify(pkg.version))).toBe(bundle);
    expect(bundleForVersion(bundle, pkg.version)).toBe(bundle);
    expect(() => bundleForVersion('var x = 1;', '9.8.7')).toThrow(/ENGINE_VERSION/);
  });
});

describe('license and notices', () => {
  it('LICENSE is the MIT license package.json names', () => {
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} Woosoo\n/);
    expect(manifest).toMatch(/MIT License/);
  });

  it('THIRD-PARTY-NOTICES holds each bundled npm package with its license text, then Node.js\'s', () => {
    const packages = bundledPackages();
    const names = packages.map((p: { name: string }) => p.name);
    // The engine's runtime dependencies are bundled; the build tools and the module's test tools are not.
    expect(names).toEqual(expect.arrayContaining(['zod', 'json-rpc-2.0', 'handlebars', 'execa', 'systeminformation', 'semver']));
    expect(names).not.toEqual(expect.arrayContaining(['esbuild']));
    expect(names).not.toContain('vitest');
    expect(packages.filter((p: { texts: string[] }) => p.texts.length === 0).map((p: { name: string }) => p.name)).toEqual([]);
    // A package that says MIT and ships no license file (fastify's abstract-logging) gets the MIT text with its author.
    const bare = packages.find((p: { name: string }) => p.name === 'abstract-logging') as { texts: string[] } | undefined;
    expect(bare?.texts.join('\n')).toMatch(/ships no license file[\s\S]*Copyright \(c\) James Sumners[\s\S]*Permission is hereby granted, free of charge/);
    const notices = thirdPartyNotices();
    for (const p of packages) expect(notices).toContain(`${p.name} ${p.version} (${p.license})`);
    expect(notices).toMatch(/Node\.js v20[\s\S]*Copyright Node\.js contributors/);
  });
});

describe('a staged module', () => {
  it('holds the module, bin/ with the executable only, and SHA256SUMS of every other file', () => {
    const fakeExe = join(work, 'engine');
    writeFileSync(fakeExe, 'not an engine');
    const dir = stageModule('linux-x64', join(work, 'stage'), { version: '9.8.7', exe: fakeExe });
    for (const part of MODULE_PARTS) expect(existsSync(join(dir, part))).toBe(true);
    expect(existsSync(join(dir, 'bin', 'woosoo-engine'))).toBe(true);
    expect(existsSync(join(dir, 'bin', 'woosoo-engine.cjs'))).toBe(false);
    for (const f of ['index.html', 'app.js', 'app.css']) expect(existsSync(join(dir, 'bin', 'dashboard', f))).toBe(true);
    expect(readFileSync(join(dir, 'Woosoo.psd1'), 'utf8')).toMatch(/ModuleVersion\s*=\s*'9\.8\.7'/);
    const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8');
    expect(sums).toBe(sha256Sums(dir));
    const line = `${createHash('sha256').update('not an engine').digest('hex')}  bin/woosoo-engine\n`;
    expect(sums).toContain(line);
    expect(sums).not.toMatch(/ {2}SHA256SUMS$/m);
  });
});
