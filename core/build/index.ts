/**
 * Builds of the project's apps (backend, PWA, relay): what other domains (the deploy orchestrator) use.
 * planBuilds() says which commands would run (for -WhatIf and the deploy plan); runBuilds() runs them,
 * streaming every output line to <logDir>/<app>.log and to the verbose log.
 */
export { planBuilds, resolveTool } from './plan';
export { previewMigrations, runBuilds } from './run';
export * from './types';
