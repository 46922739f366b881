import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCli } from '../../test/support/admin-cli.js';
import { contactStatuses, startDeregistrationRig, type DeregistrationRig } from '../../test/support/deregistration-rig.js';
import { getCapacity } from '../registrations/get-capacity.js';

let rig: DeregistrationRig;
beforeAll(async () => {
  rig = await startDeregistrationRig();
  await rig.startWorkers();
});
afterAll(() => rig.stop());

const admin = (...args: string[]) => runAdminCli({ ...rig.env, USER: 'tester' }, args);

// Each command is a process of its own (tsx compiles the CLI at start): seconds apiece on a busy machine.
describe('npm run admin -- deregister / jobs', { timeout: 120_000 }, () => {
  it('deregisters the domains a CSV lists, reports the ones it cannot, and follows the job to the end', async () => {
    const { portalId, domains, contactIds } = await rig.portalWithRegistrations(5);
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'dereg-')), 'domains.csv');
    await writeFile(file, `company,domain\nOne,${domains[0]}\nTwo,"https://www.${domains[1]}/about"\nThree,unknown.example\n`);
    const { code, stdout, stderr } = await admin('deregister', '--portal', String(portalId), '--domains', file, '--wait');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Job [0-9a-f-]{36} queued for portal \d+: 2 registrations to deregister\./);
    expect(stdout).toMatch(/Not registered to this portal \(1\): unknown\.example/);
    expect(stdout).toMatch(/completed: 2 of 2 done/);
    expect(contactStatuses(rig, portalId, contactIds)).toEqual(['deregistered', 'deregistered', 'registered', 'registered', 'registered']);
    const audit = await rig.db.auditEvent.findMany({ where: { portalId: BigInt(portalId), action: 'registration_deregistered' } });
    expect(audit.map((event) => event.actor)).toEqual(['operator:tester', 'operator:tester']);
  });

  it('deregisters everything, or what was registered before a date, and lists the jobs', async () => {
    const { portalId } = await rig.portalWithRegistrations(3);
    const before = await admin('deregister', '--portal', String(portalId), '--registered-before', '2000-01-01', '--wait');
    expect(before).toMatchObject({ code: 1, stderr: expect.stringMatching(/No active registration was made before 2000-01-01/) });
    expect((await admin('deregister', '--portal', String(portalId), '--all', '--wait')).stdout).toMatch(/completed: 3 of 3 done/);
    expect(await getCapacity(rig.db, { portalId })).toMatchObject({ used: 0 });

    const listed = await admin('jobs', 'list', '--portal', String(portalId));
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${portalId}\\s+completed\\s+3/3\\s+0`));
    const [job] = JSON.parse((await admin('jobs', 'list', '--portal', String(portalId), '--json')).stdout);
    expect((await admin('jobs', 'show', job.id)).stdout).toMatch(/chunks: 1 written, 0 waiting for HubSpot, 0 pending/);
  });

  it('shows a job by the short id the Capacity Manager shows, and lists the jobs an ambiguous prefix matches', async () => {
    const { portalId } = await rig.portalWithRegistrations(1);
    await admin('deregister', '--portal', String(portalId), '--all', '--wait');
    const [job] = JSON.parse((await admin('jobs', 'list', '--portal', String(portalId), '--json')).stdout);
    const byShortId = await admin('jobs', 'show', job.id.slice(0, 8));
    expect(byShortId).toMatchObject({ code: 0, stderr: '' });
    expect(byShortId.stdout).toContain(job.id);
    expect(byShortId.stdout).toMatch(/chunks: 1 written/);

    // Two jobs whose ids share their first 8 characters (arranged directly: random UUIDs rarely do).
    const prefix = randomBytes(4).toString('hex');
    const ids = [`${prefix}-0000-4000-8000-000000000001`, `${prefix}-0000-4000-8000-000000000002`];
    for (const id of ids) {
      await rig.db.$executeRaw`
        INSERT INTO deregistration_jobs (id, portal_id, status, selection, total, chunk_size, requested_by, channel, queue_job_id)
        VALUES (${id}::uuid, ${BigInt(portalId)}, 'completed', '{"kind":"all"}', 0, 100, 'operator:tester', 'operator', ${`dereg-${id}-0`})`;
    }
    const ambiguous = await admin('jobs', 'show', prefix);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(new RegExp(`"${prefix}" matches 2 deregistration jobs; give more of the id`));
    for (const id of ids) expect(ambiguous.stderr).toContain(id);
    expect((await admin('jobs', 'show', `${prefix}-0000-4000-8000-00000000000`)).code).toBe(1);
    expect((await admin('jobs', 'show', ids[1]!)).stdout).toContain(ids[1]);

    expect(await admin('jobs', 'show', 'ffff0000-0000')).toMatchObject({ code: 1, stderr: expect.stringMatching(/No deregistration job ffff0000-0000/) });
    expect(await admin('jobs', 'show', 'ab')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/"ab" is not a job id\. Give the job's id or at least its first 4 characters/),
    });
  });

  it.each([
    [['deregister', '--all'], /A portal id is a positive whole number/],
    [['deregister', '--portal', '42'], /exactly one of --domains FILE, --all or --registered-before DATE/],
    [['deregister', '--portal', '42', '--all', '--registered-before', '2026-01-01'], /exactly one of/],
    [['deregister', '--portal', '42', '--registered-before', 'yesterday'], /A date is written like 2026-01-31/],
    [['deregister', '--portal', '42', '--domains', '/no/such/file.csv'], /Cannot read \/no\/such\/file.csv/],
    [['jobs', 'list', '--status', 'lost'], /Unknown status "lost"/],
    [['jobs', 'fly'], /Unknown command "jobs fly"/],
  ])('prints the usage and exits 2 for %j', async (args, message) => {
    const { code, stderr } = await admin(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/deregister --portal P --all/);
  });
});
