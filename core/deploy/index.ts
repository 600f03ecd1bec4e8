/**
 * What other domains read of the deploys: where the journals and reports are (Export-WoosooDiagnostics bundles the
 * last ones). The deploy itself is run through its methods (deploy/methods.ts), not from other domains.
 */
export { deployRoot, journalPath, listDeployIds } from './journal';
export { reportFiles } from './report';
