// Peak resident memory of a process the benchmark started: Linux keeps the high-water mark
// (VmHWM in /proc/<pid>/status), so one read before the process stops gives the peak of its
// whole life, with nothing sampled and no peak missed between samples.
import { readFileSync } from 'node:fs';

/** Issue 14: neither a server nor a worker above this during the ingest and deregistration runs. */
export const MEMORY_LIMIT_MB = 250;

/**
 * The heap cap production runs with (package.json start:server and start:worker, Dockerfile):
 * the processes the benchmarks start get the same, so their peak RSS is production's. Without
 * it, on a machine with gigabytes free V8 lets garbage pile up in the old space before it
 * collects: the receiver peaked at 275-297 MB during the ingest run with 41 MB of heap live
 * after a full GC, and 188 MB with the cap.
 */
export const PRODUCTION_NODE_FLAGS = ['--max-old-space-size=128'];

/** Peak RSS in MB of a running process; NaN where /proc is not there (not Linux) or it has ended. */
export function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * How the benchmarks start a process of the app: the sources through tsx (the default), or with
 * `npm run bench -- --compiled` the compiled build production runs (`npm run build` first, done
 * by bench/run.ts), whose memory is what the 250 MB limit is about.
 */
export function appProcessArgs(source: 'workers/main.ts', compiled: boolean): string[] {
  const entry = compiled ? `dist/${source.replace(/\.ts$/, '.js')}` : source;
  return [...PRODUCTION_NODE_FLAGS, ...(compiled ? ['--enable-source-maps'] : ['--import', 'tsx']), entry];
}
