/**
 * Static checks of the PowerShell module. The grammar is tree-sitter-powershell's, which is Windows
 * PowerShell's: `??`, `?.`, the ternary and `clean {}` are syntax errors in it, exactly as in 5.1. The module's
 * conventions (manifest, help, verbs, ShouldProcess, one view per output type) are checked here too. When a
 * real pwsh is available, its own parser checks every file as well.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { ID_RE as BACKUP_ID_RE } from '../../core/backup/layout';
import { DEPLOY_ID_RE } from '../../core/deploy/journal';
import { ROOT } from '../support/engine';
import { pwsh } from '../support/pwsh';
import { spawnSync } from 'node:child_process';

const list = (dir: string, ext: string) =>
  existsSync(join(ROOT, dir)) ? readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(ext)).map((f) => join(dir, f)) : [];
const scripts = ['Woosoo.psm1', 'Woosoo.psd1', ...list('private', '.ps1'), ...list('cmdlets', '.ps1')];
const cmdlets = list('cmdlets', '.ps1');
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');
/** Every .ts file under core/, as a path relative to ROOT. */
function coreFiles(dir = 'core'): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? coreFiles(join(dir, e.name))
    : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

let parser: Parser;
beforeAll(async () => {
  await Parser.init();
  const lang = await Language.load(join(ROOT, 'node_modules/tree-sitter-powershell/tree-sitter-powershell.wasm'));
  parser = new Parser();
  parser.setLanguage(lang);
});

function problems51(source: string): string[] {
  const tree = parser.parse(source)!;
  const out: string[] = [];
  const walk = (n: Node) => {
    const where = `line ${n.startPosition.row + 1}`;
    if (n.type === 'ERROR' || n.isMissing) out.push(`${where}: syntax error near "${n.text.slice(0, 40)}"`);
    else if (n.childCount === 0 && !/comment|string/.test(n.type) && !/string/.test(n.parent?.type ?? '')) {
      if (/^(&&|\|\|)$/.test(n.text) || /(^|\s)(&&|\|\|)(\s|$)/.test(n.text)) out.push(`${where}: pipeline chain operator ${n.text} (PowerShell 7 only)`);
    }
    for (const c of n.children) if (c) walk(c);
  };
  walk(tree.rootNode);
  return out;
}

/** Lines of code with comments and the contents of strings blanked (for the keyword checks below). */
function codeOnly(source: string): string {
  const tree = parser.parse(source)!;
  const chars = source.split('');
  const blank = (n: Node) => {
    if (/comment/.test(n.type) || (/string/.test(n.type) && n.childCount === 0)) {
      for (let i = n.startIndex; i < n.endIndex; i++) if (chars[i] !== '\n') chars[i] = ' ';
      return;
    }
    for (const c of n.children) if (c) blank(c);
  };
  blank(tree.rootNode);
  return chars.join('');
}

describe('the grammar check itself', () => {
  it.each([
    ['$a = $b ?? 1'], ['$a = $b ? 1 : 2'], ['$x?.y'], ['function f { process {} clean {} }'], ['Get-X && Get-Y'], ['Get-X || Get-Y'],
  ])('rejects 7-only syntax: %s', (code) => {
    expect(problems51(code).length).toBeGreaterThan(0);
  });
  it('accepts ordinary 5.1 code, including && inside strings and comments', () => {
    expect(problems51('# a && b\n$s = "x && y"\nif ($a -and $b) { Write-Output ([ordered]@{ A = 1 }) }')).toEqual([]);
  });
});

describe.each(scripts)('%s', (file) => {
  it('parses as Windows PowerShell 5.1', () => {
    expect(problems51(read(file))).toEqual([]);
  });
  it('uses nothing that only PowerShell 6+ has, never exits, always ConvertTo-Json -Depth 20', () => {
    const code = codeOnly(read(file));
    const found: string[] = [];
    const deny: [RegExp, string][] = [
      [/-AsHashtable\b/i, '-AsHashtable (6+)'], [/-NoEnumerate\b/i, '-NoEnumerate (7+)'], [/-AsByteStream\b/i, '-AsByteStream (6+)'],
      [/\$Is(Windows|Linux|MacOS|CoreCLR)\b/i, '$IsWindows and friends (6+)'], [/ForEach-Object\s+-Parallel/i, 'ForEach-Object -Parallel (7+)'],
      [/^\s*exit\b/im, 'exit (ends the user\'s session)'], [/^\s*class\s+\w+/im, 'classes (not visible to callers)'],
    ];
    for (const [re, what] of deny) if (re.test(code)) found.push(what);
    for (const m of code.matchAll(/ConvertTo-Json\b[^\n]*/gi)) if (!/-Depth\s+20\b/i.test(m[0])) found.push(`ConvertTo-Json without -Depth 20: ${m[0].trim()}`);
    expect(found).toEqual([]);
  });
});

const manifest = read('Woosoo.psd1');
const manifestList = (key: string) => {
  const m = manifest.match(new RegExp(`${key}\\s*=\\s*@\\(([^)]*)\\)`));
  return m ? [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]) : [];
};

describe('the manifest', () => {
  it('targets Windows PowerShell 5.1 and PowerShell 7', () => {
    expect(manifest).toMatch(/CompatiblePSEditions\s*=\s*@\('Desktop',\s*'Core'\)/);
    expect(manifest).toMatch(/PowerShellVersion\s*=\s*'5\.1'/);
  });
  it('exports exactly the functions in cmdlets/, one per file, named after the file', () => {
    const names = cmdlets.map((f) => basename(f, '.ps1')).sort();
    expect([...manifestList('FunctionsToExport')].sort()).toEqual(names);
    for (const f of cmdlets) {
      const defined = [...codeOnly(read(f)).matchAll(/^\s*function\s+([\w-]+)/gim)].map((m) => m[1]);
      expect(defined, f).toEqual([basename(f, '.ps1')]);
    }
  });
  it('loads every format file and every format file is loaded', () => {
    const listed = manifestList('FormatsToProcess');
    expect([...listed].sort()).toEqual(list('formats', '.ps1xml').sort());
    for (const f of listed) expect(existsSync(join(ROOT, f)), f).toBe(true);
  });
});

/** Comment-based help keywords (about_Comment_Based_Help); any other `.word` at the start of a help line voids the block. */
const HELP_KEYWORDS = new Set(['SYNOPSIS', 'DESCRIPTION', 'PARAMETER', 'EXAMPLE', 'INPUTS', 'OUTPUTS', 'NOTES', 'LINK', 'COMPONENT', 'ROLE',
  'FUNCTIONALITY', 'FORWARDHELPTARGETNAME', 'FORWARDHELPCATEGORY', 'REMOTEHELPRUNSPACE', 'EXTERNALHELP']);

/** Lines of `<# … #>` help blocks (those with a .SYNOPSIS or .DESCRIPTION) that PowerShell's help parser reads as a keyword line (`.word` then spaces or the end) with an unknown word. */
function unknownHelpKeywords(source: string): string[] {
  const found: string[] = [];
  for (const block of source.matchAll(/<#([\s\S]*?)#>/g)) {
    if (!/^\s*\.(SYNOPSIS|DESCRIPTION)\b/im.test(block[1])) continue;
    const startLine = source.slice(0, block.index).split('\n').length;
    block[1].split('\n').forEach((line, i) => {
      const m = /^\s*\.(\w+)(\s+\S.*)?\s*$/.exec(line);
      if (m && !HELP_KEYWORDS.has(m[1].toUpperCase())) found.push(`line ${startLine + i}: ${line.trim()}`);
    });
  }
  return found;
}

describe('the help keyword check itself', () => {
  it('finds a description line that starts with .env, and accepts keywords in any case', () => {
    expect(unknownHelpKeywords('<#\n.SYNOPSIS\nX.\n.DESCRIPTION\n.env files are merged.\n#>')).toEqual(['line 5: .env files are merged.']);
    expect(unknownHelpKeywords('<#\n.SYNOPSIS\nX.\n.NET is\n#>')).toEqual(['line 4: .NET is']);
    expect(unknownHelpKeywords('<#\n.synopsis\nX.\n.Parameter Path\nThe .env file.\n.env.\n..\\x and .\\x.ps1\n#>')).toEqual([]);
  });
});

/** Get-Verb, as of PowerShell 7.4. */
const APPROVED = new Set(('Add Clear Close Copy Enter Exit Find Format Get Hide Join Lock Move New Open Optimize Pop Push Redo Remove Rename Reset Resize Search Select Set Show Skip Split Step Switch Undo Unlock Watch ' +
  'Connect Disconnect Read Receive Send Write Backup Checkpoint Compare Compress Convert ConvertFrom ConvertTo Dismount Edit Expand Export Group Import Initialize Limit Merge Mount Out Publish Restore Save Sync Unpublish Update ' +
  'Debug Measure Ping Repair Resolve Test Trace Approve Assert Build Complete Confirm Deny Deploy Disable Enable Install Invoke Register Request Restart Resume Start Stop Submit Suspend Uninstall Unregister Wait ' +
  'Block Grant Protect Revoke Unblock Unprotect Use').split(' '));
const CHANGES_STATE = /^(Add|Clear|Edit|Export|Install|Invoke|New|Register|Remove|Reset|Restart|Restore|Resume|Set|Start|Stop|Suspend|Sync|Undo|Uninstall|Unregister|Update)-/;
const DESTRUCTIVE = /^(Remove|Uninstall|Restore|Undo|Clear|Reset)-|^Invoke-WoosooDeploy$|^Install-WoosooCertificateTrust$/;

describe.each(cmdlets)('%s', (file) => {
  const name = basename(file, '.ps1');
  const source = read(file);
  it('uses an approved verb and the Woosoo noun prefix', () => {
    const [verb, noun] = name.split('-');
    expect(APPROVED.has(verb), `${verb} is not an approved verb`).toBe(true);
    expect(noun).toMatch(/^Woosoo[A-Z]/);
  });
  it('has comment-based help with a synopsis, a description, every parameter and examples', () => {
    expect(source).toMatch(/\.SYNOPSIS\s*\n\s*\S/);
    expect(source).toMatch(/\.DESCRIPTION\s*\n\s*\S/);
    expect((source.match(/\.EXAMPLE/g) ?? []).length).toBeGreaterThanOrEqual(2);
    const params = [...source.matchAll(/^\s*\[[\w.]+(\[\])?\]\$(\w+)/gm)].map((m) => m[2]);
    for (const p of params) expect(source, `.PARAMETER ${p}`).toMatch(new RegExp(`\\.PARAMETER ${p}\\b`));
  });
  it('has no help line that PowerShell reads as an unknown keyword (it would drop the whole help block)', () => {
    expect(unknownHelpKeywords(source)).toEqual([]);
  });
  it('is an advanced function; state changes support -WhatIf/-Confirm, destructive ones at High impact', () => {
    expect(source).toMatch(/\[CmdletBinding\(/);
    if (CHANGES_STATE.test(name)) expect(source).toMatch(/SupportsShouldProcess/);
    else expect(source).not.toMatch(/SupportsShouldProcess/);
    if (DESTRUCTIVE.test(name)) expect(source).toMatch(/ConfirmImpact\s*=\s*'High'/);
  });
  it('declares its output type', () => {
    expect(source).toMatch(/\[OutputType\(/);
  });
  it('audits a run that ShouldProcess stops (a -Confirm answered No) itself or through the helper it hands ShouldProcess to', () => {
    if (!/SupportsShouldProcess/.test(source)) return;
    const audits = /Write-WoosooAuditDeclined|Invoke-WoosooPlannedChange|Invoke-WoosooServiceAction/.test(source);
    expect(audits, `${name} supports -WhatIf but never calls Write-WoosooAuditDeclined (private/Audit.ps1)`).toBe(true);
    // Each of its own ShouldProcess calls is followed by the audit call on the branch that declines.
    for (const m of source.matchAll(/if \(-not \$PSCmdlet\.ShouldProcess\([^\n]*\)\) \{([^\n}]*)\}/g)) {
      expect(m[1], `${name}: ${m[0]}`).toMatch(/Write-WoosooAuditDeclined/);
    }
  });
});

describe('output types', () => {
  it('every type the engine returns has a view in formats/', () => {
    const types = new Set<string>();
    for (const f of coreFiles()) for (const m of read(f).matchAll(/(?:typed|typedSchema)\(\s*'(\w+)'/g)) types.add(m[1]);
    types.delete('TestItem'); // test-only method
    // Compare-WoosooConfig's columns are the environments compared (a property named after each): no view can name
    // them; PowerShell's own table shows them side by side (tests/config/environments.e2e.test.ts renders it at 80).
    types.delete('ConfigDifference');
    const views = list('formats', '.ps1xml').map(read).join('\n');
    const missing = [...types].filter((t) => !views.includes(`<TypeName>Woosoo.${t}</TypeName>`));
    expect(missing).toEqual([]);
  });
});

const decodeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

describe.each(list('formats', '.ps1xml'))('%s', (file) => {
  const blocks = [...read(file).matchAll(/<ScriptBlock>([\s\S]*?)<\/ScriptBlock>/g)].map((m) => decodeXml(m[1]));
  it('has script blocks that parse as Windows PowerShell 5.1', () => {
    expect(blocks.flatMap((b, i) => problems51(b).map((p) => `script block ${i + 1}: ${p}`))).toEqual([]);
  });
  it('colours a table view\'s Status only through $PSStyle, looked up so that 5.1 (which has none) shows plain text', () => {
    for (const b of blocks.filter((x) => /Foreground/.test(x))) {
      expect(b).toMatch(/Get-Variable -Name PSStyle -ValueOnly -ErrorAction Ignore/);
      expect(b).toMatch(/\$null -ne \$style/);
      expect(b).toMatch(/\$style\.Reset/);
    }
  });
});

describe('the views', () => {
  it('colour the Status column of every table whose type has failure states', () => {
    for (const [file, type] of [['Health', 'HealthCheck'], ['Service', 'Service'], ['Deploy', 'Deployment'], ['Deploy', 'DeployStep'], ['Preflight', 'PreflightCheck'], ['Build', 'BuildResult']]) {
      const view = read(`formats/Woosoo.${file}.Format.ps1xml`).split('<View>').find((v) => v.includes(`<Name>Woosoo.${type}</Name>`) && v.includes('<TableControl>'));
      expect(view, `${type} table view`).toBeDefined();
      expect(view, `${type} colours Status`).toMatch(/\$colour = @\{[^}]*'Red'[^}]*\}\[\[string\]\$_\.Status\]/);
    }
  });
});

describe('one definition on each side of the wire', () => {
  const moduleFiles = [...list('private', '.ps1'), ...list('cmdlets', '.ps1')];
  it('of the deployment id: Test-WoosooDeploymentId in the module, DEPLOY_ID_RE in the engine, the same pattern', () => {
    const pattern = /\$script:WoosooDeploymentIdPattern = '([^']+)'/.exec(read('private/Test-WoosooDeploymentId.ps1'))?.[1];
    expect(pattern).toBe(DEPLOY_ID_RE.source);
    expect(moduleFiles.filter((f) => read(f).includes('\\d{8}-\\d{6}'))).toEqual(['private/Test-WoosooDeploymentId.ps1']);
    expect(coreFiles().filter((f) => read(f).includes('\\d{8}-\\d{6}'))).toEqual(['core/deploy/journal.ts']);
  });
  it('of the backup id: Test-WoosooBackupId in the module, ID_RE in core/backup/layout.ts, accepting the same ids', () => {
    const pattern = /\$script:WoosooBackupIdPattern = '([^']+)'/.exec(read('private/Test-WoosooBackupId.ps1'))?.[1];
    expect(pattern).toBeDefined();
    const moduleRe = new RegExp(pattern!);
    const samples = ['2026-11-22_03-15-00', '2026-11-22_03-15-00-2', '2026-11-22_03-15-00-1234', '2026-11-22_03-15-00-12345',
      '2026-11-22 03-15-00', '2026-11-22_03-15', '20261122-031500-a1b2', '2026-11-22_03-15-00-x', ' 2026-11-22_03-15-00', ''];
    expect(samples.map((id) => moduleRe.test(id))).toEqual(samples.map((id) => BACKUP_ID_RE.test(id)));
    expect(samples.filter((id) => moduleRe.test(id))).toEqual(['2026-11-22_03-15-00', '2026-11-22_03-15-00-2', '2026-11-22_03-15-00-1234']);
    expect(moduleFiles.filter((f) => read(f).includes('\\d{4}-\\d{2}-\\d{2}_'))).toEqual(['private/Test-WoosooBackupId.ps1']);
  });
  it('of durations: the engine sends ISO-8601 strings (durationSchema), only ConvertTo-WoosooValue makes them [timespan]', () => {
    expect(coreFiles().filter((f) => /\bDuration: z\./.test(read(f)))).toEqual([]);
    expect(moduleFiles.filter((f) => /\.Duration\s*=|\[timespan\]::FromSeconds\(\[double\]/i.test(read(f)))).toEqual([]);
  });
});

describe.skipIf(!pwsh.available)('the real PowerShell parser', () => {
  it('parses every file without errors', () => {
    const files = scripts.map((f) => `'${join(ROOT, f)}'`).join(',');
    const script = `$bad = foreach ($f in @(${files})) { $t = $null; $e = $null; [void][System.Management.Automation.Language.Parser]::ParseFile($f, [ref]$t, [ref]$e); foreach ($x in $e) { "$f $($x.Extent.StartLineNumber): $($x.Message)" } }; $bad`;
    const r = spawnSync(pwsh.path, ['-NoProfile', '-NonInteractive', '-Command', script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('');
  });
});
