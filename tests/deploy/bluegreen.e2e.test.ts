/**
 * Blue/green deploys from the real pwsh on a copy of the demo stack (real MariaDB, nginx, PM2): -WhatIf shows the
 * twelve steps; two deploys switch green then blue, Woosoo.Deployment says the strategy and colour, Get-WoosooService
 * shows the live colour; Undo-WoosooDeploy of the live successful deploy switches back (piped from
 * Get-WoosooDeployment), and of one that is no longer live is a Woosoo.DeploymentNotUndoable error.
 */
import { expect, it } from 'vitest';
import { describePwsh, pwshJson } from '../support/pwsh';
import { useDemoProject } from './fixture';

describePwsh('blue/green deploy cmdlets end to end', () => {
  const stack = useDemoProject('woosoo_bg_e2e', undefined, { DEPLOY_STRATEGY: 'BlueGreen' });
  const json = (script: string) => pwshJson(script, { timeoutMs: 300_000, env: stack.p.env });

  it('-WhatIf: the twelve blue/green steps, green started beside blue, nothing written', () => {
    const r = json(`$plan = @(Invoke-WoosooDeploy -Path '${stack.p.dir}' -WhatIf)
      [pscustomobject]@{ Names = @($plan.Name); Start = @(($plan | Where-Object Name -eq 'StartRelease').Commands) } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Names).toEqual(['Preflight', 'Lock', 'Backup', 'Release', 'Sync', 'Build', 'StartRelease', 'CheckRelease', 'Cutover', 'Health', 'StopPrevious', 'Report']);
    expect(r.Start).toEqual(['start woosoo-queue-worker-green', 'start woosoo-backend-green', 'start woosoo-reverb-green']);
  });

  it('two deploys switch colours; Undo-WoosooDeploy of the live one switches back, of an older one is refused', () => {
    const r = json(`$ErrorActionPreference = 'Stop'
      $first = Invoke-WoosooDeploy -Path '${stack.p.dir}' -SkipTests -Confirm:$false | Where-Object { $_.PSObject.TypeNames -contains 'Woosoo.Deployment' }
      $second = Invoke-WoosooDeploy -Path '${stack.p.dir}' -SkipTests -Confirm:$false | Where-Object { $_.PSObject.TypeNames -contains 'Woosoo.Deployment' }
      $running = @(Get-WoosooService -Path '${stack.p.dir}' | Where-Object Status -eq Running | ForEach-Object Name)
      try { Undo-WoosooDeploy -Path '${stack.p.dir}' -Id $first.Id -Confirm:$false | Out-Null; $refused = $null } catch { $refused = $_ }
      $undone = Get-WoosooDeployment -Path '${stack.p.dir}' -Last 1 | Undo-WoosooDeploy -Confirm:$false | Where-Object { $_.PSObject.TypeNames -contains 'Woosoo.Deployment' }
      $after = @(Get-WoosooService -Path '${stack.p.dir}' | Where-Object Status -eq Running | ForEach-Object Name)
      [pscustomobject]@{ First = $first | Select-Object Status, Strategy, Colour; Second = $second | Select-Object Status, Strategy, Colour
        Running = $running; Refused = $refused.FullyQualifiedErrorId; RefusedMsg = [string]$refused.Exception.Message
        Undone = $undone.Status; UndoneId = $undone.Id; SecondId = $second.Id; After = $after } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.First).toEqual({ Status: 'Succeeded', Strategy: 'BlueGreen', Colour: 'green' });
    expect(r.Second).toEqual({ Status: 'Succeeded', Strategy: 'BlueGreen', Colour: 'blue' });
    expect([...r.Running].sort()).toEqual(['woosoo-backend', 'woosoo-nginx', 'woosoo-queue-worker', 'woosoo-reverb']);
    expect(r.Refused).toMatch(/^Woosoo\.DeploymentNotUndoable/);
    expect(r.RefusedMsg).toContain('not the live release');
    expect(r).toMatchObject({ Undone: 'RolledBack', UndoneId: r.SecondId });
    expect([...r.After].sort()).toEqual(['woosoo-backend-green', 'woosoo-nginx', 'woosoo-queue-worker-green', 'woosoo-reverb-green']);
  }, 600_000);
}, { needs: ['php', 'composer', 'mariadb', 'nginx', 'npm'] });
