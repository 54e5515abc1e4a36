/**
 * What MongoDB, RabbitMQ and Redis spend per operation, next to the apps' own CPU: on a 2-core
 * machine they share the cores with the apps, so a command to mongod or a message through the
 * broker costs the platform as much as its own code. Read before and after a measured window:
 * - mongod's commands (serverStatus metrics.commands: one per insert/update/findAndModify/find/
 *   commit command, however many documents it carries) and committed transactions;
 * - the CPU time of the mongod serving MONGODB_URI's port, of the broker's Erlang VMs (beam.smp,
 *   the drills' own clusters excepted) and of redis-server, from /proc (Linux only; zeros elsewhere).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { MongoClient } from 'mongodb';

const COUNTED = [
  'insert',
  'update',
  'delete',
  'findAndModify',
  'find',
  'getMore',
  'aggregate',
  'count',
  'commitTransaction',
  'abortTransaction',
] as const;
const TICK_US = 10_000; // USER_HZ is 100 on Linux

export interface InfraSample {
  commands: Record<string, number>;
  commits: number;
  cpuUs: { mongod: number; rabbitmq: number; redis: number };
}

export interface InfraPerOp {
  mongodCommandsPerOp: number;
  commandsPerOp: Record<string, number>;
  commitsPerOp: number;
  infraCpuUsPerOp: { mongod: number; rabbitmq: number; redis: number };
}

export async function sampleInfra(client: MongoClient, mongoPort: number): Promise<InfraSample> {
  const status = (await client.db('admin').command({ serverStatus: 1 })) as {
    metrics: { commands: Record<string, { total: number | { toNumber(): number } }> };
    transactions?: { totalCommitted: number | { toNumber(): number } };
  };
  const num = (v: number | { toNumber(): number } | undefined) =>
    v === undefined ? 0 : typeof v === 'number' ? v : v.toNumber();
  const commands: Record<string, number> = {};
  for (const name of COUNTED) commands[name] = num(status.metrics.commands[name]?.total);
  return { commands, commits: num(status.transactions?.totalCommitted), cpuUs: processCpu(mongoPort) };
}

export function perOp(before: InfraSample, after: InfraSample, ops: number): InfraPerOp {
  const per = (n: number) => Math.round((n / Math.max(ops, 1)) * 100) / 100;
  const commandsPerOp: Record<string, number> = {};
  let total = 0;
  for (const name of COUNTED) {
    const delta = after.commands[name] - before.commands[name];
    total += delta;
    if (delta > 0) commandsPerOp[name] = per(delta);
  }
  const cpu = (k: keyof InfraSample['cpuUs']) =>
    Math.round((after.cpuUs[k] - before.cpuUs[k]) / Math.max(ops, 1));
  return {
    mongodCommandsPerOp: per(total),
    commandsPerOp,
    commitsPerOp: per(after.commits - before.commits),
    infraCpuUsPerOp: { mongod: cpu('mongod'), rabbitmq: cpu('rabbitmq'), redis: cpu('redis') },
  };
}

function processCpu(mongoPort: number): InfraSample['cpuUs'] {
  const cpuUs = { mongod: 0, rabbitmq: 0, redis: 0 };
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return cpuUs;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (comm !== 'mongod' && comm !== 'beam.smp' && comm !== 'redis-server') continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const us = (Number(fields[11]) + Number(fields[12])) * TICK_US; // utime + stime
      if (comm === 'mongod' && cmdline.includes(`--port ${mongoPort} `)) cpuUs.mongod += us;
      else if (comm === 'beam.smp' && !cmdline.includes('drill')) cpuUs.rabbitmq += us;
      else if (comm === 'redis-server') cpuUs.redis += us;
    } catch {
      // the process ended between the listing and the read
    }
  }
  return cpuUs;
}
