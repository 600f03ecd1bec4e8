/**
 * Scheduled tasks from real pwsh: Register-WoosooScheduledTask -WhatIf (the task XML read back with System.Xml), the
 * refusal where Task Scheduler does not exist (Linux), and in the Windows tier a real registration with Wine's
 * schtasks, listed from its stored definition and removed. Wine 8 keeps the task's registration info and settings
 * but drops its trigger, principal and action (taskschd's read_triggers/read_actions are stubs): see
 * docs/operations.md. The job scripts' exit codes are in jobs.e2e.test.ts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePwsh, pwshJson, TIER, tierPath } from '../support/pwsh';
import { makeProject, type Project } from '../health/fixtures';

const NS = 'http://schemas.microsoft.com/windows/2004/02/mit/task';

describePwsh('scheduled tasks', () => {
  const projects: Project[] = [];
  afterAll(() => { for (const p of projects) p.cleanup(); });
  /** A project whose folder has a space and an ampersand in its name (quoting and XML escaping). */
  const spaced = () => {
    const p = makeProject('ws sched ');
    projects.push(p);
    const dir = join(p.dir, 'shop & co');
    mkdirSync(dir);
    p.write({});
    writeFileSync(join(dir, 'deployment.config.env'), `ENVIRONMENT=production\n${readFileSync(join(p.dir, 'deployment.config.env'), 'utf8')}`);
    return dir;
  };
  // One pwsh session for every check (each tier's part runs only there).
  let dir = '';
  let r: any;
  beforeAll(() => {
    dir = spaced();
    r = pwshJson(`
      $whatIf = & {
        $t = Register-WoosooScheduledTask -Path '${dir}' -Deploy -At 02:30 -DaysOfWeek Monday, Friday -WhatIf
        $h = Register-WoosooScheduledTask -Path '${dir}' -Health -At 00:00 -RepeatMinutes 5 -WhatIf
        $u = Register-WoosooScheduledTask -Path '${dir}' -Backup -At 01:00 -User 'WEB01\\deployer' -WhatIf
        function Read-Task($task) {
        $x = [xml]$task.Xml
        $ns = New-Object System.Xml.XmlNamespaceManager($x.NameTable)
        $ns.AddNamespace('t', '${NS}')
        $v = { param($p) $n = $x.SelectSingleNode($p, $ns); if ($n) { $n.InnerText } else { $null } }
        [pscustomobject]@{
        Type = $task.PSObject.TypeNames[0]; Name = $task.Name; Registered = $task.Registered; Schedule = $task.Schedule; User = $task.User
        Command = & $v '/t:Task/t:Actions/t:Exec/t:Command'; Arguments = & $v '/t:Task/t:Actions/t:Exec/t:Arguments'
        WorkingDirectory = & $v '/t:Task/t:Actions/t:Exec/t:WorkingDirectory'
        Start = & $v '//t:CalendarTrigger/t:StartBoundary'; Days = @($x.SelectNodes('//t:ScheduleByWeek/t:DaysOfWeek/*', $ns) | ForEach-Object LocalName)
        Daily = & $v '//t:ScheduleByDay/t:DaysInterval'; Repeat = & $v '//t:Repetition/t:Interval'
        UserId = & $v '//t:Principal/t:UserId'; LogonType = & $v '//t:Principal/t:LogonType'; RunLevel = & $v '//t:Principal/t:RunLevel'
        Policy = & $v '/t:Task/t:Settings/t:MultipleInstancesPolicy'; Limit = & $v '/t:Task/t:Settings/t:ExecutionTimeLimit'
        }
        }
        [pscustomobject]@{ Jobs = Join-Path (Get-Module Woosoo).ModuleBase 'jobs'; Deploy = Read-Task $t; Health = Read-Task $h; User = Read-Task $u; Table = ($t, $h | Out-String -Width 120) }
      }
      $linux = $null
      $windows = $null
      if (-not $IsWindows) {
        $linux = & {
          $catch = { param($s) try { $null = & $s; 'no error' } catch { $_.FullyQualifiedErrorId + ' | ' + $_.Exception.Message } }
          [pscustomobject]@{
          Register = & $catch { Register-WoosooScheduledTask -Path '${dir}' -Backup -At 01:00 -Confirm:$false -ErrorAction Stop }
          Get = & $catch { Get-WoosooScheduledTask -ErrorAction Stop }
          Unregister = & $catch { Unregister-WoosooScheduledTask -Name Backup-x -Force -ErrorAction Stop }
          User = & $catch { Register-WoosooScheduledTask -Path '${dir}' -Backup -At 01:00 -User someone -Confirm:$false -ErrorAction Stop }
          Files = @(Get-ChildItem -LiteralPath '${dir}' -Recurse -Name)
          }
        }
      }
      else {
        $windows = & {
          Get-WoosooScheduledTask -Name 'Backup-shop_co' | Unregister-WoosooScheduledTask -Force
          $reg = Register-WoosooScheduledTask -Path '${dir}' -Backup -At 01:30 -Confirm:$false
          $got = @(Get-WoosooScheduledTask -Path '${dir}')
          $dup = try { $null = Register-WoosooScheduledTask -Path '${dir}' -Backup -At 01:30 -Confirm:$false -ErrorAction Stop; 'none' } catch { $_.FullyQualifiedErrorId }
          $forced = Register-WoosooScheduledTask -Path '${dir}' -Backup -At 03:00 -Force -Confirm:$false
          $gone = @(Unregister-WoosooScheduledTask -Name $reg.Name -Force)
          [pscustomobject]@{
          Registered = $reg.Registered; Names = @($got | ForEach-Object Name); Job = $got[0].Job; Project = $got[0].ProjectPath
          Policy = [regex]::Match($got[0].Xml, '<MultipleInstancesPolicy>([A-Za-z]+)<').Groups[1].Value; Dup = $dup; Forced = $forced.Registered
          Gone = @($gone | ForEach-Object Name); After = @(Get-WoosooScheduledTask -Name $reg.Name).Count
          Missing = try { Unregister-WoosooScheduledTask -Name $reg.Name -Force -ErrorAction Stop; 'none' } catch { $_.FullyQualifiedErrorId }
          }
        }
      }
      [pscustomobject]@{ WhatIf = $whatIf; Linux = $linux; Windows = $windows } | ConvertTo-Json -Depth 20 -Compress`, { timeoutMs: 240_000 });
  }, 300_000);

  it('-WhatIf returns the Woosoo.ScheduledTask with its XML: action, quoted arguments, trigger, SYSTEM principal, IgnoreNew', () => {
    const res = r.WhatIf;
    const d = res.Deploy;
    expect(d).toMatchObject({ Type: 'Woosoo.ScheduledTask', Name: 'Deploy-shop_co', Registered: false, Schedule: 'Mon, Fri at 02:30', User: 'SYSTEM' });
    expect(d.Command).toMatch(TIER === 'windows' ? /\\pwsh\.exe$/ : /\/pwsh$/);
    const script = `${res.Jobs}${TIER === 'windows' ? '\\' : '/'}Invoke-WoosooScheduledDeploy.ps1`;
    expect(d.Arguments).toBe(`-NoProfile -NonInteractive -ExecutionPolicy Bypass -File ${/\s/.test(script) ? `"${script}"` : script} -Path "${tierPath(dir)}"`);
    expect(d.WorkingDirectory).toBe(tierPath(dir));
    expect(d.Start).toMatch(/^\d{4}-\d\d-\d\dT02:30:00$/);
    expect(d.Days).toEqual(['Monday', 'Friday']);
    expect(d).toMatchObject({ UserId: 'S-1-5-18', LogonType: 'ServiceAccount', RunLevel: 'HighestAvailable', Policy: 'IgnoreNew', Limit: 'PT4H' });
    expect(res.Health).toMatchObject({ Name: 'Health-shop_co', Daily: '1', Repeat: 'PT5M', Limit: 'PT30M', Schedule: 'Daily 00:00, every 5 min' });
    expect(res.Health.Arguments).toContain('Invoke-WoosooScheduledHealth.ps1');
    expect(res.User).toMatchObject({ UserId: 'WEB01\\deployer', LogonType: 'Password', User: 'WEB01\\deployer' });
    expect(res.Table).toMatch(/Deploy-shop_co\s+Mon, Fri at 02:30\s+SYSTEM/);
    expect(res.Table, res.Table).toContain('[not registered]');
  });

  it.runIf(TIER === 'linux')('on Linux a real registration, the listing and removal fail with Woosoo.TaskSchedulerUnavailable; another user needs -Credential (Linux tier)', () => {
    const res = r.Linux;
    expect(res.Register).toMatch(/^Woosoo\.TaskSchedulerUnavailable,Register-WoosooScheduledTask \| Registering \\Woosoo\\Backup-shop_co: Task Scheduler is Windows-only/);
    expect(res.Get).toMatch(/^Woosoo\.TaskSchedulerUnavailable,Get-WoosooScheduledTask/);
    expect(res.Unregister).toMatch(/^Woosoo\.TaskSchedulerUnavailable,Unregister-WoosooScheduledTask/);
    expect(res.User).toMatch(/^Woosoo\.ScheduledTaskCredentialRequired.*someone/);
    // Nothing but the configuration and Woosoo's own logs (the audit trail, the engine's log).
    expect(res.Files.filter((f: string) => !/^logs([\\/]|$)/.test(f))).toEqual(['deployment.config.env']);
  });

  it.runIf(TIER === 'windows')('Windows tier (Wine): schtasks /Create /XML registers, Get lists it from its stored definition, a second one needs -Force, Unregister removes it', () => {
    const res = r.Windows;
    expect(res).toMatchObject({
      Registered: true, Names: ['Backup-shop_co'], Job: 'Backup', Project: tierPath(dir), Policy: 'IgnoreNew', Forced: true,
      Gone: ['Backup-shop_co'], After: 0,
    });
    expect(res.Dup).toMatch(/^Woosoo\.ScheduledTaskExists/);
    expect(res.Missing).toMatch(/^Woosoo\.ScheduledTaskNotFound/);
  });
});
