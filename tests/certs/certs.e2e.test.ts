// The certificate cmdlets in the real PowerShell 7 with a temporary CAROOT (skipped, with the reason, without pwsh).
// Install-WoosooCertificateTrust is only ever run with -WhatIf: never against the machine's trust store.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePwsh, pwsh, pwshJson, runPwsh } from '../support/pwsh';
import { hasTool } from '../harness/tools';
import { makeProject, type Project } from '../health/fixtures';

describePwsh('certificate cmdlets end to end', () => {
  let project: Project;
  let caRoot: string;
  const env = () => ({ CAROOT: caRoot });

  beforeAll(() => {
    project = makeProject('wscerte2e-');
    project.write({ APP_IP: '127.0.0.1' });
    caRoot = mkdtempSync(join(tmpdir(), 'wscaroot-'));
  });
  afterAll(() => {
    project?.cleanup();
    rmSync(caRoot, { recursive: true, force: true });
  });

  it('New-WoosooCertificate -WhatIf writes nothing; then creates, gets and tests it', () => {
    const r = runPwsh(`
      Set-Location '${project.dir}'
      $whatIf = @(New-WoosooCertificate -WhatIf)
      $existedAfterWhatIf = Test-Path certs
      $new = New-WoosooCertificate
      $got = @(Get-WoosooCertificate)
      $tests = @(Get-WoosooCertificate | Test-WoosooCertificate)
      [PSCustomObject]@{
        WhatIfOutput = $whatIf.Count
        ExistedAfterWhatIf = $existedAfterWhatIf
        NewType = $new.PSObject.TypeNames[0]
        Ips = @($new.IPAddresses)
        Trusted = $new.Trusted
        NotAfterIsDate = ($new.NotAfter -is [datetime])
        GotCount = $got.Count
        TestType = $tests[0].PSObject.TypeNames[0]
        Results = @($tests | ForEach-Object { '{0}:{1}' -f $_.Check, $_.Result })
        Quiet = (Test-WoosooCertificate -Quiet)
      } | ConvertTo-Json -Depth 20`, { env: env() });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      WhatIfOutput: 0, ExistedAfterWhatIf: false, NewType: 'Woosoo.Certificate', Ips: ['127.0.0.1', '::1'], Trusted: true,
      NotAfterIsDate: true, GotCount: 1, TestType: 'Woosoo.CertificateTest',
      Results: ['Domain:Passed', 'Expiry:Passed', 'Key:Passed', 'Trust:Passed'], Quiet: true,
    });
  });

  it('New-WoosooCertificate without -Force on an existing one: Woosoo.CertificateExists', () => {
    const r = runPwsh(`
      try { New-WoosooCertificate -Path '${project.dir}'; 'no error' } catch { $_.FullyQualifiedErrorId }`, { env: env() });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^Woosoo\.CertificateExists/);
  });

  it('Install-WoosooCertificateTrust -WhatIf names mkcert -install and runs nothing', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'wscaroot-'));
    try {
      const r = runPwsh(`Install-WoosooCertificateTrust -Path '${project.dir}' -WhatIf`, { env: { CAROOT: fresh } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.console.replace(/\s+/g, ' ')).toMatch(/What if: .*Install the mkcert CA from .*mkcert -install/s);
      expect(readdirSync(fresh)).toEqual([]);
      expect(existsSync(join(fresh, 'rootCA.pem'))).toBe(false);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
}, { needs: ['mkcert'], missing: hasTool('mkcert') ? undefined : 'mkcert is not installed (bash scripts/setup.sh)' });
