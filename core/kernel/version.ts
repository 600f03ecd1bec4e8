/** The engine's version (stamped by scripts/build.mjs) and the protocol it speaks; `initialize` checks the latter. */
export const PROTOCOL_VERSION = '1.0';

declare const __WOOSOO_VERSION__: string;
export const ENGINE_VERSION = typeof __WOOSOO_VERSION__ === 'string' ? __WOOSOO_VERSION__ : '0.0.0-dev';
