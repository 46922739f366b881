// A second `npm start` while the demo runs would collide on its ports half way through starting.
// The running demo leaves its pid in a file beside its data; a new one asks first whether the
// demo's port already answers and, if so, says where it runs and how to stop it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface DemoPlace {
  host: string;
  port: number;
  publicUrl: string;
  /** The folder the demo keeps its data under (the pid file goes beside it). */
  dataDir: string;
}

const pidFile = (place: DemoPlace) => path.join(path.dirname(place.dataDir), 'demo.pid');

function portAnswers(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: host === '0.0.0.0' ? '127.0.0.1' : host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function runningPid(place: DemoPlace): number | null {
  try {
    const pid = Number(readFileSync(pidFile(place), 'utf8').trim());
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/** The sentence to print when something already answers on the demo's port, or null. */
export async function demoAlreadyRunning(place: DemoPlace): Promise<string | null> {
  if (!(await portAnswers(place.port, place.host))) return null;
  const pid = runningPid(place);
  return pid
    ? `Partner Capacity's demo is already running at ${place.publicUrl}/ (process ${pid}). Use that one, or stop it first: Ctrl+C in its terminal, or \`kill ${pid}\`.`
    : `Port ${place.port} is taken by another program, so the demo cannot start. Stop that program, or start the demo on another port: PORT=3001 npm start.`;
}

/** Records this process as the running demo until it exits. */
export function claimDemoPidFile(place: DemoPlace): () => void {
  const file = pidFile(place);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}
