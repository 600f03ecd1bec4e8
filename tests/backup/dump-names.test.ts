/**
 * The names a dump creates, read as it streams into the client (core/backup/database.ts CreatedNames): what a
 * restore keeps, dropping every other table (those made since the backup). Chunks split anywhere, long INSERT lines,
 * views and quoted names.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CreatedNames } from '../../core/backup/database';

async function namesOf(text: string, chunk: number): Promise<string[]> {
  const bytes = Buffer.from(text);
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) pieces.push(bytes.subarray(i, i + chunk));
  const scan = new CreatedNames();
  let passed = 0;
  await pipeline(Readable.from(pieces), scan, new Writable({ write(c: Buffer, _e, cb) { passed += c.length; cb(); } }));
  expect(passed).toBe(bytes.length); // every byte goes on to the client, unchanged in number
  return [...scan.names].sort();
}

const DUMP = [
  '-- MariaDB dump 10.19', '/*!40101 SET NAMES utf8mb4 */;', 'DROP TABLE IF EXISTS `orders`;',
  'CREATE TABLE `orders` (', '  `id` int(11) NOT NULL AUTO_INCREMENT,', '  PRIMARY KEY (`id`)', ') ENGINE=InnoDB;',
  `INSERT INTO \`orders\` VALUES ${Array.from({ length: 20_000 }, (_, i) => `(${i},'CREATE TABLE \`fake${i}\` (x)')`).join(',')};`,
  'CREATE TABLE IF NOT EXISTS `odd``name` (`menu_id` int);',
  '/*!50001 CREATE VIEW `later_view` AS SELECT 1 AS `x` */;',
  '/*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50013 DEFINER=`woosoo`@`%` SQL SECURITY DEFINER */ /*!50001 VIEW `menu_view` AS select `m`.`id` AS `id` from `menu` `m` */;',
  'CREATE TABLE `café` (`x` int);', '-- Dump completed on 2026-12-02 23:00:00',
].join('\n');

describe('the names a dump creates', () => {
  it('are the CREATE TABLE and CREATE VIEW names, whatever the chunks, never text inside the data', async () => {
    const want = ['café', 'later_view', 'menu_view', 'odd`name', 'orders'];
    for (const chunk of [1, 7, 64, 4095, 65_536, 1 << 22]) expect(await namesOf(DUMP, chunk), String(chunk)).toEqual(want);
  });
});
