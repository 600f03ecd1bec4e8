/**
 * What other domains read of the logs: the project's log sources and their files (Export-WoosooDiagnostics bundles
 * the end of each). Get-WoosooLog's queries go through logs/methods.ts.
 */
export { discoverSources, familyFiles, livePath, type LogFile, type LogSource } from './sources';
