/** Keys of the engine itself: its own diagnostic log (logs/woosoo/engine.log, core/engine/log.ts). */
import { key, t, type KeyTable } from './define';

export const engineKeys = {
  ENGINE_LOG_MAX_MB: key(t.int(1, 1024), {
    group: 'Engine', default: '10',
    help: 'The engine\'s own log, logs/woosoo/engine.log, is rotated (engine.1.log, engine.2.log, ...) when it reaches this many megabytes.',
  }),
  ENGINE_LOG_KEEP: key(t.int(1, 100), {
    group: 'Engine', default: '5',
    help: 'How many rotated engine logs (engine.1.log is the newest) are kept besides engine.log; older ones are deleted.',
  }),
} satisfies KeyTable;
