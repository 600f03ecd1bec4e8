/**
 * What `php artisan migrate --pretend` output counts as destructive (core/build/migrations.ts): dropping or renaming
 * a table or a column, or emptying one; not creating, adding, or index/key/constraint changes. Both output forms:
 * Laravel 10+ ("⇂ sql" under the migration's name) and before ("Class: sql").
 */
import { describe, expect, it } from 'vitest';
import { destructiveMessage, destructiveStatements, pretendArgs } from '../../core/build/migrations';

const LARAVEL_10 = `
   INFO  Running migrations.

  2024_01_03_000000_add_note_to_orders ........................................................
  ⇂ alter table \`orders\` add \`note\` varchar(255) null
  ⇂ alter table \`orders\` add index \`orders_note_index\`(\`note\`)
  2024_01_04_000000_rework_orders .............................................................
  ⇂ alter table \`orders\` drop \`item\`
  ⇂ alter table \`orders\` rename column \`table_no\` to \`table_number\`
  ⇂ alter table \`orders\` drop index \`orders_status_index\`
  ⇂ alter table \`orders\` drop foreign key \`orders_menu_id_foreign\`
  ⇂ drop table if exists \`old_orders\`
  ⇂ rename table \`menu\` to \`menus\`
  ⇂ create table \`payments\` (\`id\` bigint unsigned not null auto_increment primary key)
`;

const LARAVEL_9 = `CreatePaymentsTable: create table \`payments\` (\`id\` bigint unsigned not null)
DropLegacy: alter table \`orders\` drop column \`legacy\`
DropLegacy: truncate table \`sessions\`
RenameThings: alter table \`orders\` change \`qty\` \`quantity\` int not null
`;

describe('destructive migrations', () => {
  it('are the drops, renames and truncates of tables and columns in Laravel 10+ output, nothing else', () => {
    expect(destructiveStatements(LARAVEL_10)).toEqual([
      'alter table `orders` drop `item`',
      'alter table `orders` rename column `table_no` to `table_number`',
      'drop table if exists `old_orders`',
      'rename table `menu` to `menus`',
    ]);
  });

  it('are found in the older "Class: sql" form too', () => {
    expect(destructiveStatements(LARAVEL_9)).toEqual([
      'alter table `orders` drop column `legacy`',
      'truncate table `sessions`',
      'alter table `orders` change `qty` `quantity` int not null',
    ]);
  });

  it('are none in additive migrations, or when there is nothing to migrate', () => {
    expect(destructiveStatements(LARAVEL_10.split('2024_01_04')[0])).toEqual([]);
    expect(destructiveStatements('\n   INFO  Nothing to migrate.\n')).toEqual([]);
  });

  it('the check runs the same command with --pretend, once; the refusal names the statements and both ways on', () => {
    expect(pretendArgs(['artisan', 'migrate', '--force'])).toEqual(['artisan', 'migrate', '--force', '--pretend']);
    expect(pretendArgs(['artisan', 'migrate', '--pretend'])).toEqual(['artisan', 'migrate', '--pretend']);
    const m = destructiveMessage(['alter table `orders` drop `item`']);
    expect(m).toContain('  alter table `orders` drop `item`');
    expect(m).toContain('Nothing was migrated');
    expect(m).toContain('DEPLOY_ALLOW_DESTRUCTIVE_MIGRATIONS=true');
    expect(m).toMatch(/Expand\/contract/);
  });
});
