/** Errors every backend raises alike. */
import { WoosooError } from '../kernel/errors';

export function notInstalled(name: string): WoosooError {
  return new WoosooError('ServiceNotInstalled', `The service ${name} is not installed.`, {
    category: 'ObjectNotFound', target: name, fix: `Install it first: Install-WoosooService -Name ${name}`,
  });
}
