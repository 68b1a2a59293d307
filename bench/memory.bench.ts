// Memory of `npm start`'s process: first start on a fresh database (and PGlite's initdb child), idle after
// it, a later start, and the peak of a catch-up.

import { eventually } from '../test/support/eventually.ts';
import { memoryOf } from '../test/support/process-memory.ts';
import type { ServiceProcess } from '../test/support/service-process.ts';
import { spawnService } from '../test/support/service-process.ts';
import { startStack } from '../test/support/stack.ts';
import type { DatabaseKind } from '../test/support/test-database.ts';
import { benchCatchUp } from './catch-up.bench.ts';

export interface MemoryFigures {
  /** The service's own VmHWM once it has started on a fresh database. */
  firstStartPeakMb: number;
  /** PGlite's initdb child: its own peak (it exits before the service has started); null on PostgreSQL. */
  initdbChildPeakMb: number | null;
  initdbSeconds: number | null;
  /** Resident memory after `idleSeconds` of idling, mailbox connected, nothing to do. */
  steadyRssMb: number;
  /** The service's VmHWM once started again on the same database. */
  laterStartPeakMb: number;
  /** Process start → "mailpay started", on the later start. */
  laterStartSeconds: number;
  catchUpPeakMb: number;
  catchUpPerSecond: number;
}

export async function benchMemory(options: {
  kind: DatabaseKind;
  idleSeconds: number;
  catchUpNotifications: number;
  leaveOut?: string[];
}): Promise<MemoryFigures> {
  const stack = await startStack(options.kind, { LOG_LEVEL: 'info' });
  const spawn = () => spawnService(stack.env, { entry: 'dist', leaveOut: options.leaveOut ?? [] });
  const starts = async () => ({
    ...(await figuresOfFirstStart(spawn(), options.idleSeconds)),
    ...(await figuresOfLaterStart(spawn())),
  });
  const figures = await starts().finally(() => stack.dispose());
  const catchUp = await benchCatchUp({
    kind: options.kind,
    notifications: options.catchUpNotifications,
    leaveOut: options.leaveOut ?? [],
  });
  return {
    ...figures,
    catchUpPeakMb: catchUp.peakRssMb,
    catchUpPerSecond: catchUp.perSecond,
  };
}

async function figuresOfFirstStart(service: ServiceProcess, idleSeconds: number) {
  try {
    await started(service);
    const firstStartPeakMb = memoryOf(service.child.pid ?? 0).peakRssMb;
    const creation = logLines(service).find((line) => line.msg?.startsWith('embedded database created'));
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    return {
      firstStartPeakMb,
      initdbChildPeakMb: creation?.childPeakRssMb ?? null,
      initdbSeconds: creation?.seconds ?? null,
      steadyRssMb: memoryOf(service.child.pid ?? 0).rssMb,
    };
  } finally {
    await stop(service);
  }
}

async function figuresOfLaterStart(service: ServiceProcess) {
  const spawnedAt = performance.now();
  try {
    await started(service);
    return {
      laterStartPeakMb: memoryOf(service.child.pid ?? 0).peakRssMb,
      laterStartSeconds: (performance.now() - spawnedAt) / 1000,
    };
  } finally {
    await stop(service);
  }
}

/** Until the service has started and its mailbox watcher is connected. */
function started(service: ServiceProcess) {
  return eventually(async () => {
    const messages = logLines(service).map((line) => line.msg);
    return messages.includes('mailpay started') && messages.includes('mailbox connected') ? true : undefined;
  }, 300_000);
}

async function stop(service: ServiceProcess) {
  service.child.kill('SIGTERM');
  await service.exited;
}

function logLines(service: ServiceProcess) {
  return service
    .output()
    .stdout.split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; childPeakRssMb?: number; seconds?: number });
}
