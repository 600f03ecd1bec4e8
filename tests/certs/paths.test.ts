// A folder where a certificate file belongs, or a certificate file where the project belongs (-Path's meaning before
// issue 11): each is a Woosoo error naming the file and the fix, never Node's EISDIR or a PEM read as a config file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadValidProject } from '../../core/config';
import { certificateFilesOf, getCertificates } from '../../core/certs';
import { parseCertificateFile, refuseCertificateAsProject } from '../../core/certs/read';
import { WoosooError } from '../../core/kernel/errors';
import { EngineClient } from '../support/engine';
import { makeProject, type Project } from '../health/fixtures';
import { selfSigned } from './openssl';

function thrown(fn: () => unknown): WoosooError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WoosooError);
    return err as WoosooError;
  }
  throw new Error('nothing was thrown');
}

describe('certificate paths: folder/file mix-ups', () => {
  let project: Project;
  let cert: string;
  const session = () => ({ env: process.env as Record<string, string>, cwd: project.dir });

  beforeAll(() => {
    project = makeProject('wscertpaths-');
    project.write({ APP_IP: '127.0.0.1' });
    mkdirSync(join(project.dir, 'certs'));
    cert = join(project.dir, 'certs', 'woosoo.pem');
    selfSigned({ san: 'IP:127.0.0.1', days: 200, certFile: cert, keyFile: join(project.dir, 'certs', 'woosoo-key.pem') });
    writeFileSync(join(project.dir, 'notes.txt'), 'not a certificate\n');
  });
  afterAll(() => project?.cleanup());

  it('a folder as a certificate file is CertificatePathIsFolder; a project folder is told to go to -Path', () => {
    const asProject = thrown(() => parseCertificateFile(project.dir));
    expect(asProject.errorId).toBe('CertificatePathIsFolder');
    expect(asProject.message).toBe(`${project.dir} is a folder, not a certificate file.`);
    expect(asProject.recommendedAction).toContain(`pass it with -Path ${project.dir}`);
    const certs = thrown(() => certificateFilesOf(loadValidProject(project.dir, session()), [join(project.dir, 'certs')]));
    expect(certs.errorId).toBe('CertificatePathIsFolder');
    expect(certs.recommendedAction).toContain(`-CertificatePath names certificate files, such as ${cert}`);
    for (const e of [asProject, certs]) expect(`${e.message} ${e.recommendedAction}`).not.toMatch(/EISDIR|illegal operation/);
  });

  it('a missing file says so in words; given files that exist are read', async () => {
    const missing = thrown(() => parseCertificateFile(join(project.dir, 'certs', 'nope.pem')));
    expect(missing).toMatchObject({ errorId: 'CertificateUnreadable', category: 'ReadError' });
    expect(missing.message).toMatch(/nope\.pem: it does not exist\.$/);
    expect(missing.message).not.toMatch(/ENOENT/);
    const got = await getCertificates(loadValidProject(project.dir, session()), { env: session().env, signal: new AbortController().signal }, [cert]);
    expect(got.items.map((c) => c.path)).toEqual([cert]);
  });

  it('a certificate file as the project is ProjectPathIsCertificate, with -CertificatePath as the fix; a config file, a folder or another file pass', () => {
    const e = thrown(() => refuseCertificateAsProject(cert));
    expect(e.errorId).toBe('ProjectPathIsCertificate');
    expect(e.message).toBe(`${cert} is a certificate file, not the project folder: -Path names the project folder (or its deployment.config.env).`);
    expect(e.recommendedAction).toContain(`-CertificatePath ${cert}`);
    for (const fine of [undefined, project.dir, join(project.dir, 'deployment.config.env'), join(project.dir, 'notes.txt'), join(project.dir, 'missing')]) {
      expect(() => refuseCertificateAsProject(fine)).not.toThrow();
    }
  });

  it('over the wire: cert.get and cert.test refuse both mix-ups with the Woosoo error data', async () => {
    const engine = await EngineClient.start({ cwd: project.dir });
    try {
      for (const method of ['cert.get', 'cert.test']) {
        const folder = await engine.request(method, { path: project.dir, files: [project.dir] });
        expect(folder.error?.data).toMatchObject({ errorId: 'CertificatePathIsFolder', category: 'InvalidArgument', targetObject: project.dir });
        const asProject = await engine.request(method, { path: cert });
        expect(asProject.error?.data).toMatchObject({ errorId: 'ProjectPathIsCertificate', category: 'InvalidArgument', targetObject: cert });
      }
    } finally {
      await engine.close();
    }
  });
});
