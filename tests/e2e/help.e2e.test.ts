/**
 * Get-Help in the real pwsh, for every exported command: PowerShell drops a whole comment-based help block
 * silently when one line in it looks like an unknown keyword (`.env files are …`), and the static checks cannot
 * see that. Also the about_Woosoo topic, found by Get-Help after Import-Module.
 */
import { expect, it } from 'vitest';
import { describePwsh, pwshJson } from '../support/pwsh';

interface CommandHelp {
  Name: string;
  Synopsis: string;
  Syntax: string;
  Description: string;
  Examples: number;
  Parameters: { Name: string; Text: string }[];
}

describePwsh('help', () => {
  let help: CommandHelp[] = [];

  it('every exported command has help', () => {
    help = pwshJson<CommandHelp[]>(`
      $common = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)
      @(foreach ($c in Get-Command -Module Woosoo | Sort-Object Name) {
        $h = Get-Help -Name $c.Name -Full
        $params = @(foreach ($n in @($c.Parameters.Keys | Where-Object { $common -notcontains $_ })) {
          $p = @($h.parameters.parameter | Where-Object { $_.name -eq $n })
          $text = ''
          if ($p.Count -gt 0) { $text = (@($p[0].description | ForEach-Object { $_.Text }) -join ' ').Trim() }
          [pscustomobject]@{ Name = $n; Text = $text }
        })
        [pscustomobject]@{
          Name = $c.Name
          Synopsis = ([string]$h.Synopsis).Trim()
          Syntax = ((Get-Command -Name $c.Name -Syntax) | Out-String).Trim()
          Description = (@($h.description | ForEach-Object { $_.Text }) -join ' ').Trim()
          Examples = @($h.examples.example | Where-Object { $_ -and ([string]$_.code).Trim() }).Count
          Parameters = $params
        }
      }) | ConvertTo-Json -Depth 20 -Compress`);
    expect(help.map((h) => h.Name)).toContain('Sync-WoosooConfig');
    expect(help.length).toBeGreaterThanOrEqual(27);
    const problems: string[] = [];
    for (const h of help) {
      // Without a help block, Synopsis is the command's syntax line (it starts with the command's name).
      if (!h.Synopsis || h.Synopsis.startsWith(h.Name)) problems.push(`${h.Name}: no synopsis (got "${h.Synopsis.slice(0, 60)}")`);
      if (!h.Description) problems.push(`${h.Name}: no description`);
      if (h.Examples < 1) problems.push(`${h.Name}: no example`);
      for (const p of h.Parameters) if (!p.Text) problems.push(`${h.Name}: no help for -${p.Name}`);
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('Get-Help about_Woosoo finds the module\'s about topic after Import-Module', () => {
    const r = pwshJson<{ Name: string; Category: string; Text: string }>(`
      $h = Get-Help -Name about_Woosoo
      [pscustomobject]@{ Name = [string]$h.Name; Category = [string]$h.Category; Text = ($h | Out-String -Width 200) } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Category).toBe('HelpFile');
    expect(r.Name).toMatch(/about_Woosoo/i);
    for (const heading of ['SHORT DESCRIPTION', 'LONG DESCRIPTION', 'SEE ALSO']) expect(r.Text).toContain(heading);
    for (const word of ['WOOSOO_PROJECT', '-Path', "$ErrorActionPreference = 'Stop'", '-ErrorAction Stop', 'Get-WoosooService', 'Invoke-WoosooDeploy', 'New-WoosooBackup'])
      expect(r.Text).toContain(word);
  });
}, { timeout: 120_000 });
