// Backups benchmark: backup, verify and restore of a generated uploads tree plus a MariaDB database, through the
// real engine over the wire, against the shell baseline on the same data in the same run:
//   backup  = mariadb-dump | gzip  +  tar -czf (configs, .env files, uploads)  +  sha256sum of both archives
//   verify  = sha256sum -c
//   restore = tar -xzf  +  gunzip -c | mariadb
// Woosoo's restore also verifies first and takes a safety backup (which dumps the database again): that is part of
// the measured time. Memory: the engine's peak RSS (VmHWM) at this size and at 1/8 of it, to show it stays flat.
// Encryption (issue 17: it may add at most 15% to backup and restore): the same backup/verify/restore with a key file
// (the secret parts: .env files and the dump) and with -Encrypt (every part), alternated with plain runs --rounds
// times in the same run; the ratios use each mode's fastest round. On a busy machine wall time swings by ±50%: the
// engine's CPU seconds (its own and its children's: mariadb-dump, the mariadb client; not the server's) per step are
// printed too, the least of the rounds, a figure load moves far less.
//
//   node bench/backup.mjs [--files-mib 256] [--db-mib 50] [--rounds 2] [--only-encryption]
//   (the full size: --files-mib 1024 --db-mib 100)
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine } from './lib/engine.mjs';

const arg = (name, dflt) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : dflt);
const filesMiB = arg('--files-mib', 256);
const dbMiB = arg('--db-mib', 50);
const rounds = arg('--rounds', 2);
const onlyEncryption = process.argv.includes('--only-encryption');
const MiB = 1024 * 1024;
const sh = (cmd, env = {}) => {
  const r = spawnSync('sh', ['-c', cmd], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * MiB });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
  return r.stdout;
};
const which = (...names) => names.map((n) => spawnSync('sh', ['-c', `command -v ${n} || ls /usr/sbin/${n} 2>/dev/null`], { encoding: 'utf8' }).stdout.trim().split('\n')[0]).find(Boolean);
const time = async (fn) => {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** CPU seconds of a process and its reaped children so far (/proc/<pid>/stat utime stime cutime cstime). */
const cpuOf = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
};

for (const tool of ['mariadbd', 'mariadb-install-db', 'mariadb-dump', 'mariadb', 'tar', 'gzip', 'sha256sum']) {
  if (!which(tool)) {
    console.log(`backup benchmark skipped: ${tool} is not installed (bash scripts/setup.sh)`);
    process.exit(0);
  }
}

// ── a private MariaDB (same recipe as tests/harness/mariadb.ts) ───────────────────────────────────────────────
const work = mkdtempSync(join(tmpdir(), 'wsbench-'));
const dbDir = join(work, 'db');
const sock = join(dbDir, 'sock');
const port = 30000 + Math.floor(Math.random() * 20000);
const password = 'bench-Passw0rd-1';
sh(`mariadb-install-db --no-defaults --user=root --datadir=${dbDir}/data --auth-root-authentication-method=normal --skip-test-db >/dev/null`);
const logFd = openSync(join(work, 'db.log'), 'a');
const server = spawn(which('mariadbd'), ['--no-defaults', '--user=root', `--datadir=${dbDir}/data`, `--socket=${sock}`, `--pid-file=${dbDir}/pid`,
  `--port=${port}`, `--tmpdir=${dbDir}`, '--bind-address=127.0.0.1', '--skip-name-resolve', '--innodb-buffer-pool-size=256M', '--performance-schema=OFF', '--skip-log-bin'],
{ stdio: ['ignore', logFd, logFd] });
closeSync(logFd);
const root = (sql) => sh(`mariadb --no-defaults --socket=${sock} -uroot --batch --skip-column-names -e "${sql}"`);
const cleanup = async () => {
  const gone = new Promise((r) => server.once('exit', r));
  try { root('SHUTDOWN'); } catch { server.kill('SIGKILL'); }
  await Promise.race([gone, sleep(10_000)]);
  rmSync(work, { recursive: true, force: true });
};
process.on('exit', () => { try { server.kill('SIGKILL'); } catch { /* gone */ } });
for (let i = 0; i < 200 && spawnSync('mariadb-admin', ['--no-defaults', `--socket=${sock}`, '-uroot', 'ping']).status !== 0; i++) await sleep(100);
root(`CREATE DATABASE woosoo; CREATE USER 'woosoo'@'%' IDENTIFIED BY '${password}'; GRANT ALL ON woosoo.* TO 'woosoo'@'%';`);

/** Fills woosoo.orders to about `mib` MiB of dump text by doubling rows. */
function fillDatabase(mib) {
  root(`CREATE TABLE woosoo.orders (id INT PRIMARY KEY AUTO_INCREMENT, item VARCHAR(64), qty INT, note TEXT);
    INSERT INTO woosoo.orders (item, qty, note) VALUES ('bulgogi', 2, REPEAT('extra spicy, no onions. ', 20));`);
  // Each row is ~700 bytes of dump: half repetitive text, half hex noise (SHA2), like real order notes and tokens.
  while (Number(root('SELECT COUNT(*) FROM woosoo.orders')) * 700 < mib * MiB) {
    root(`INSERT INTO woosoo.orders (item, qty, note) SELECT CONCAT('dish-', FLOOR(RAND()*500)), FLOOR(RAND()*9),
      CONCAT(REPEAT('table 12 asks for ', 8), SHA2(RAND(), 512), SHA2(RAND(), 512)) FROM woosoo.orders`);
  }
}

/** A project with configs, .env files and `mib` MiB of uploads (70% incompressible like photos, 30% text). */
function makeProject(dir, mib) {
  mkdirSync(join(dir, 'configs'), { recursive: true });
  writeFileSync(join(dir, 'deployment.config.env'), ['ENVIRONMENT=production', 'APP_IP=127.0.0.1', 'DB_HOST=127.0.0.1', `DB_PORT=${port}`,
    'DB_DATABASE=woosoo', 'DB_USERNAME=woosoo', `DB_PASSWORD=${password}`, 'REVERB_APP_KEY=bench-key-1', 'REVERB_APP_SECRET=bench-secret-1', ''].join('\n'));
  writeFileSync(join(dir, 'configs', 'nginx.conf'), 'events {}\nhttp {}\n');
  const storage = join(dir, 'apps', 'woosoo-nexus', 'storage', 'app');
  mkdirSync(join(dir, 'apps', 'tablet-ordering-pwa'), { recursive: true });
  mkdirSync(storage, { recursive: true });
  writeFileSync(join(dir, 'apps', 'woosoo-nexus', '.env'), 'APP_KEY=base64:abc\n');
  writeFileSync(join(dir, 'apps', 'tablet-ordering-pwa', '.env'), 'X=1\n');
  const text = Buffer.from('{"order":12,"items":["bulgogi","kimchi"],"status":"served"}\n'.repeat(20000));
  let written = 0;
  for (let i = 0; written < mib * MiB; i++) {
    const sub = join(storage, 'public', `menu-${i % 40}`);
    mkdirSync(sub, { recursive: true });
    const size = [64 * 1024, 300 * 1024, 1 * MiB, 3 * MiB][i % 4];
    const data = i % 10 < 7 ? randomBytes(size) : text.subarray(0, size);
    writeFileSync(join(sub, `upload-${i}.${i % 10 < 7 ? 'jpg' : 'json'}`), data);
    written += size;
  }
  return storage;
}

function peakRss(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** A key file for the encrypted runs (written by the engine's backup.newKey, as New-WoosooBackupKey does on Unix). */
async function makeKey(project, file) {
  const e = startEngine();
  await e.call('initialize', { protocolVersion: '1.0' });
  const r = await e.call('backup.newKey', { path: project, outFile: file });
  await e.close();
  if (r.error) throw new Error(`backup.newKey: ${r.error.message}`);
  return r.result.items[0].KeyId;
}

async function woosoo(project, storage, keys = {}) {
  const e = startEngine();
  await e.call('initialize', { protocolVersion: '1.0' });
  const must = async (method, params) => {
    const r = await e.call(method, params);
    if (r.error) throw new Error(`${method}: ${r.error.message}`);
    return r.result;
  };
  let id;
  const cpu = {};
  const cpuAt = () => cpuOf(e.child.pid);
  const timed = async (step, fn) => {
    const c0 = cpuAt();
    const t = await time(fn);
    cpu[step] = cpuAt() - c0;
    return t;
  };
  const backup = await timed('backup', async () => { id = (await must('backup.create', { path: project, includeDatabase: true, includeFiles: true, ...keys })).items[0].Id; });
  const verify = await timed('verify', async () => {
    const v = (await must('backup.test', { path: project, ids: [id], ...keys })).items[0];
    if (!v.Valid) throw new Error(v.Problems.join('; '));
  });
  rmSync(storage, { recursive: true });
  root('DROP TABLE woosoo.orders');
  const restore = await timed('restore', () => must('backup.restore', { path: project, id, ...keys }));
  const rows = Number(root('SELECT COUNT(*) FROM woosoo.orders'));
  const rss = peakRss(e.child.pid);
  await e.close();
  return { backup, verify, restore, rows, rss, cpu };
}

async function baseline(project, storage, out) {
  mkdirSync(out, { recursive: true });
  const env = { MYSQL_PWD: password };
  const conn = `--no-defaults -h127.0.0.1 -P${port} -uwoosoo`;
  const backup = await time(() => {
    sh(`mariadb-dump ${conn} --single-transaction --quick --routines --triggers --hex-blob --no-tablespaces woosoo | gzip > ${out}/db.sql.gz`, env);
    sh(`tar -czf ${out}/files.tgz -C ${project} deployment.config.env configs apps`);
    sh(`cd ${out} && sha256sum db.sql.gz files.tgz > checksums.sha256`);
  });
  const verify = await time(() => sh(`cd ${out} && sha256sum -c --quiet checksums.sha256`));
  rmSync(storage, { recursive: true });
  root('DROP TABLE woosoo.orders');
  const restore = await time(() => {
    sh(`tar -xzf ${out}/files.tgz -C ${project}`);
    sh(`gunzip -c ${out}/db.sql.gz | mariadb ${conn} woosoo`, env);
  });
  const rows = Number(root('SELECT COUNT(*) FROM woosoo.orders'));
  return { backup, verify, restore, rows };
}

try {
  console.log(`generating ${filesMiB} MiB of uploads and a ~${dbMiB} MiB database…`);
  fillDatabase(dbMiB);
  const rowsBefore = Number(root('SELECT COUNT(*) FROM woosoo.orders'));
  const dumpMiB = Number(sh(`mariadb-dump --no-defaults --socket=${sock} -uroot woosoo | wc -c`)) / MiB;
  const project = join(work, 'project');
  const storage = makeProject(project, filesMiB);
  const expectRows = (w, what) => {
    if (w.rows !== rowsBefore) throw new Error(`rows after the ${what} restore: ${w.rows}, expected ${rowsBefore}`);
  };

  // Plain, key file (secret parts) and -Encrypt (every part), alternated; each mode's fastest round counts.
  const keyFile = join(work, 'bench-backup.key');
  await makeKey(project, keyFile);
  const modes = { plain: {}, secrets: { keyFile }, all: { keyFile, encrypt: true } };
  const best = {};
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['plain', 'secrets', 'all'] : ['all', 'secrets', 'plain'];
    for (const mode of order) {
      const { encrypt, ...testKeys } = modes[mode];
      const w = await woosoo(project, storage, mode === 'all' ? { ...testKeys, encrypt } : testKeys);
      expectRows(w, mode);
      console.log(`round ${r + 1} ${mode}: backup ${w.backup.toFixed(2)} s, verify ${w.verify.toFixed(2)} s, restore ${w.restore.toFixed(2)} s, peak RSS ${w.rss.toFixed(0)} MB; engine CPU ${w.cpu.backup.toFixed(2)} / ${w.cpu.verify.toFixed(2)} / ${w.cpu.restore.toFixed(2)} s`);
      const b = best[mode] ?? { backup: Infinity, verify: Infinity, restore: Infinity, rss: 0, cpu: { backup: Infinity, verify: Infinity, restore: Infinity } };
      const cpu = Object.fromEntries(Object.entries(b.cpu).map(([k, v]) => [k, Math.min(v, w.cpu[k])]));
      best[mode] = { backup: Math.min(b.backup, w.backup), verify: Math.min(b.verify, w.verify), restore: Math.min(b.restore, w.restore), rss: Math.max(b.rss, w.rss), cpu };
    }
  }
  const ratio = (mode, step) => `${(best[mode][step] / best.plain[step]).toFixed(3)}×`;
  console.log(`\nEncryption: ${filesMiB} MiB uploads + a ${dumpMiB.toFixed(0)} MiB dump (${rowsBefore} rows), best of ${rounds} round(s) per mode.`);
  console.log('| step | plain | key file (secret parts) | ratio | -Encrypt (every part) | ratio |');
  console.log('|---|---|---|---|---|---|');
  for (const step of ['backup', 'verify', 'restore']) {
    console.log(`| ${step} | ${best.plain[step].toFixed(2)} s | ${best.secrets[step].toFixed(2)} s | ${ratio('secrets', step)} | ${best.all[step].toFixed(2)} s | ${ratio('all', step)} |`);
  }
  const cpuRatio = (mode, step) => `${(best[mode].cpu[step] / best.plain.cpu[step]).toFixed(3)}×`;
  console.log('\nEngine CPU seconds (its own + its children\'s), the least of the rounds:');
  console.log('| step | plain | key file (secret parts) | ratio | -Encrypt (every part) | ratio |');
  console.log('|---|---|---|---|---|---|');
  for (const step of ['backup', 'verify', 'restore']) {
    console.log(`| ${step} | ${best.plain.cpu[step].toFixed(2)} s | ${best.secrets.cpu[step].toFixed(2)} s | ${cpuRatio('secrets', step)} | ${best.all.cpu[step].toFixed(2)} s | ${cpuRatio('all', step)} |`);
  }
  console.log(`engine peak RSS: plain ${best.plain.rss.toFixed(0)} MB, secret parts ${best.secrets.rss.toFixed(0)} MB, every part ${best.all.rss.toFixed(0)} MB`);
  if (!onlyEncryption) {
    const base = await baseline(project, storage, join(work, 'tar'));
    const w = await woosoo(project, storage);
    if (base.rows !== rowsBefore || w.rows !== rowsBefore) throw new Error(`rows after restore: tar ${base.rows}, woosoo ${w.rows}, expected ${rowsBefore}`);

    // Peak memory at 1/8 of the data, in a fresh project and engine: flat memory means about the same figure.
    const small = join(work, 'small');
    const smallStorage = makeProject(small, Math.max(8, filesMiB / 8));
    const wSmall = await woosoo(small, smallStorage);

    const row = (what, b, m) => `| ${what} | ${b.toFixed(2)} s | ${m.toFixed(2)} s | ${(m / b).toFixed(2)}× |`;
    console.log(`\nData: ${filesMiB} MiB uploads (70% incompressible) + database dump of ${dumpMiB.toFixed(0)} MiB (${rowsBefore} rows); rows after both restores: ${rowsBefore}.`);
    console.log('| step | tar -czf + sha256sum baseline | Woosoo (over the wire) | ratio |');
    console.log('|---|---|---|---|');
    console.log(row('backup (configs + uploads + database)', base.backup, w.backup));
    console.log(row('verify', base.verify, w.verify));
    console.log(row('restore (into an empty uploads folder, dropped table)', base.restore, w.restore));
    console.log(row('all three', base.backup + base.verify + base.restore, w.backup + w.verify + w.restore));
    console.log(`engine peak RSS: ${w.rss.toFixed(0)} MB at ${filesMiB} MiB; ${wSmall.rss.toFixed(0)} MB at ${Math.max(8, filesMiB / 8)} MiB (same database)`);
  }
} finally {
  await cleanup();
}
