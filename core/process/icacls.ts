/**
 * The owner-only Windows ACL, shared by sync/ (a secret file) and backup/ (a backup folder).
 * icacls arguments that make a file readable by Administrators (S-1-5-32-544), SYSTEM (S-1-5-18, the account NSSM
 * services run as) and the current user only: inherited entries removed, full control granted to those three.
 */
export function icaclsArgs(file: string, env: Record<string, string>): string[] {
  const user = env.USERNAME ? ['/grant:r', `${env.USERDOMAIN ? `${env.USERDOMAIN}\\` : ''}${env.USERNAME}:F`] : [];
  return [file, '/inheritance:r', '/grant:r', '*S-1-5-32-544:F', '/grant:r', '*S-1-5-18:F', ...user];
}
