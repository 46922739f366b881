// The operator's deregistration commands (dispatched from admin-commands.ts):
//
//   deregister --portal P (--domains file.csv | --all | --registered-before DATE) [--wait]
//   jobs list [--portal P] [--status S] [--json]
//   jobs show <jobId or a unique prefix of it> [--json]
//
// `deregister` records a job and queues it for the workers, like the Capacity Manager does; with
// --wait it follows the job's progress until it finishes.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../db/client.js';
import { DeregistrationError } from '../deregistrations/deregistration-errors.js';
import type { DeregistrationJobView } from '../deregistrations/deregistration-job-view.js';
import { describeDeregistrationJob } from '../deregistrations/describe-deregistration-job.js';
import { JOB_STATUSES, listDeregistrationJobs, type JobStatus } from '../deregistrations/list-deregistration-jobs.js';
import { requestDeregistration, type DeregistrationSelection } from '../deregistrations/request-deregistration.js';
import { AppError } from '../errors/app-error.js';
import type { AppQueues } from '../queue/queues.js';
import { resolveJobId } from './resolve-job-id.js';

export const DEREGISTRATION_USAGE = `  deregister --portal P --domains FILE.csv    deregister the domains listed in a file (one per line,
                                              or a CSV with a "domain" column)
  deregister --portal P --all                 deregister every active registration of the portal
  deregister --portal P --registered-before DATE
                                              deregister what was registered before DATE (2026-01-31)
      [--wait]                                follow the job until it finishes
  jobs list [--portal P] [--status S] [--json]
                                              deregistration jobs, newest first; S: ${JOB_STATUSES.join(', ')}
  jobs show <jobId> [--json]                  one job: progress, chunks, contacts HubSpot could not update;
                                              the job id or a unique prefix (the 8 characters the
                                              Capacity Manager shows)`;

export interface DeregistrationCommandOptions {
  portal?: string;
  domains?: string;
  all?: boolean;
  'registered-before'?: string;
  status?: string;
  wait?: boolean;
  json?: boolean;
}

export interface DeregistrationCommandContext {
  db: Database;
  queues: Pick<AppQueues, 'deregistrations'>;
  print: (line: string) => void;
  actor: string;
  /** Turns a message into the usage error of the CLI. */
  usage: (message: string) => Error;
  portalIdArgument: (value: string | undefined) => number;
}

export async function runDeregistrationCommand(context: DeregistrationCommandContext, positionals: string[], options: DeregistrationCommandOptions): Promise<void> {
  const [group, command, ...rest] = positionals;
  if (group === 'deregister') return deregister(context, options);
  if (group === 'jobs' && command === 'list') return listJobs(context, options);
  if (group === 'jobs' && command === 'show') return showJob(context, rest[0], options);
  throw context.usage(`Unknown command "${positionals.join(' ')}".`);
}

async function deregister(context: DeregistrationCommandContext, options: DeregistrationCommandOptions): Promise<void> {
  const portalId = context.portalIdArgument(options.portal);
  const selection = await selectionOf(context, options);
  const { queues } = context;
  const { job, notFound, alreadyDeregistered } = await requestDeregistration({ db: context.db, queues }, { portalId, selection, requestedBy: context.actor, channel: 'operator' });
  context.print(`Job ${job.id} queued for portal ${portalId}: ${job.total} registration${job.total === 1 ? '' : 's'} to deregister.`);
  if (alreadyDeregistered.length) context.print(`Already deregistered (${alreadyDeregistered.length}): ${alreadyDeregistered.join(', ')}`);
  if (notFound.length) context.print(`Not registered to this portal (${notFound.length}): ${notFound.join(', ')}`);
  if (options.wait) await follow(context, job);
}

async function selectionOf(context: DeregistrationCommandContext, options: DeregistrationCommandOptions): Promise<DeregistrationSelection> {
  const chosen = [options.domains !== undefined, options.all === true, options['registered-before'] !== undefined].filter(Boolean).length;
  if (chosen !== 1) throw context.usage('Say what to deregister: exactly one of --domains FILE, --all or --registered-before DATE.');
  if (options.all) return { kind: 'all' };
  if (options['registered-before'] !== undefined) {
    const value = options['registered-before'];
    const before = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(before.getTime())) throw context.usage(`A date is written like 2026-01-31 or 2026-01-31T12:00:00Z (got "${value}").`);
    return { kind: 'registered-before', before };
  }
  let text: string;
  try {
    text = await readFile(options.domains!, 'utf8');
  } catch (error) {
    throw context.usage(`Cannot read ${options.domains}: ${(error as Error).message}`);
  }
  const domains = domainsInFile(text);
  if (domains.length === 0) throw context.usage(`${options.domains} lists no domains.`);
  return { kind: 'domains', domains };
}

/** One domain per line, or the "domain" column of a CSV with a header; # starts a comment. */
export function domainsInFile(text: string): string[] {
  const rows = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1')));
  if (rows.length === 0) return [];
  const header = rows[0]!.map((cell) => cell.toLowerCase());
  const column = header.indexOf('domain');
  if (column >= 0)
    return rows
      .slice(1)
      .map((row) => row[column] ?? '')
      .filter(Boolean);
  return rows.map((row) => row[0]!).filter(Boolean);
}

async function follow(context: DeregistrationCommandContext, job: DeregistrationJobView): Promise<void> {
  let last = '';
  for (;;) {
    const details = await describeDeregistrationJob(context.db, { jobId: job.id });
    const current = details!.job;
    const line = `${current.status}: ${current.done} of ${current.total} done${current.failed ? `, ${current.failed} contacts not updated in HubSpot` : ''}`;
    if (line !== last) context.print(line);
    last = line;
    if (current.status === 'completed' || current.status === 'failed') {
      if (current.error) context.print(`Error: ${current.error}`);
      for (const problem of details!.problems) context.print(`  ${problem.domain} (contact ${problem.contactId}): ${problem.error ?? problem.contactUpdate}`);
      return;
    }
    await sleep(500);
  }
}

function formatJob(job: DeregistrationJobView): string {
  return `${job.id}  ${String(job.portalId).padEnd(14)} ${job.status.padEnd(9)} ${`${job.done}/${job.total}`.padStart(11)} ${String(job.failed).padStart(6)}  ${job.createdAt}  ${job.channel}:${job.requestedBy}${job.undoneAt ? ' (undone)' : ''}`;
}

async function listJobs(context: DeregistrationCommandContext, options: DeregistrationCommandOptions): Promise<void> {
  const portalId = options.portal !== undefined ? context.portalIdArgument(options.portal) : undefined;
  if (options.status !== undefined && !(JOB_STATUSES as readonly string[]).includes(options.status)) {
    throw context.usage(`Unknown status "${options.status}". Statuses: ${JOB_STATUSES.join(', ')}.`);
  }
  const jobs = await listDeregistrationJobs(context.db, { portalId, status: options.status as JobStatus | undefined, limit: 100 });
  if (options.json) return context.print(JSON.stringify(jobs, null, 2));
  if (jobs.length === 0) return context.print('No deregistration jobs.');
  context.print(`${'JOB'.padEnd(36)}  ${'PORTAL'.padEnd(14)} ${'STATUS'.padEnd(9)} ${'DONE'.padStart(11)} ${'FAILED'.padStart(6)}  CREATED                   BY`);
  for (const job of jobs) {
    context.print(formatJob(job));
    if (job.error) context.print(`    error: ${job.error}`);
  }
}

async function showJob(context: DeregistrationCommandContext, given: string | undefined, options: DeregistrationCommandOptions): Promise<void> {
  if (!given) throw context.usage('Say which job: jobs show <jobId>.');
  const resolution = await resolveJobId(context.db, given);
  if (resolution.kind === 'several') {
    const listed = resolution.jobs.map((job) => `  ${formatJob(job)}`).join('\n');
    throw new AppError({
      kind: 'conflict',
      code: 'JOB_ID_AMBIGUOUS',
      message: `"${given}" matches ${resolution.more ? `more than ${resolution.jobs.length}` : resolution.jobs.length} deregistration jobs; give more of the id:\n${listed}`,
    });
  }
  const details = resolution.kind === 'one' ? await describeDeregistrationJob(context.db, { jobId: resolution.jobId }) : null;
  if (!details) throw new DeregistrationError('JOB_NOT_FOUND', `No deregistration job ${given}. List them with: npm run admin -- jobs list`);
  if (options.json) return context.print(JSON.stringify(details, null, 2));
  context.print(formatJob(details.job));
  if (details.job.error) context.print(`error: ${details.job.error}`);
  context.print(`chunks: ${details.chunks.written} written, ${details.chunks.deregistered} waiting for HubSpot, ${details.chunks.pending} pending`);
  context.print(
    `contacts: ${details.contacts.written} updated, ${details.contacts.missing} no longer in HubSpot, ${details.contacts.failed} refused, ${details.contacts.not_needed} left as they were`,
  );
  for (const problem of details.problems) context.print(`  ${problem.domain} (contact ${problem.contactId}): ${problem.error ?? problem.contactUpdate}`);
}
