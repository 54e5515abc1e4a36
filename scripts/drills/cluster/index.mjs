// The replicated cluster the drills (`npm run drills`) run the apps on: a 3-member MongoDB replica
// set and a 3-node RabbitMQ cluster, on this machine, with controls to crash and restart members.
//
// Each start function takes { baseDir, log }: baseDir is a fresh temp dir the caller made (data and
// logs go there; the RabbitMQ nodes, which run as the rabbitmq user, get traversal rights on it);
// log is (…args) => void, to stderr. Nothing global is registered: the caller handles signals
// (stopSync() is there for its process 'exit' hook) and removes baseDir.
//
// startMongoReplicaSet(opts) → {
//   uri,                       'mongodb://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3/?replicaSet=drills'
//   members: [{ host: '127.0.0.1', port }],
//   primary(),                 Promise<{ host, port }>: the member whose `hello` says writable primary
//   kill(port, signal = 'SIGKILL'),  that member's mongod; resolves once the process is gone
//   restart(port),             same dbpath and port; resolves once it is SECONDARY or PRIMARY again
//   waitForPrimary(timeoutMs), Promise<{ host, port }> once some member is primary
//   stop(),                    stops all members (data stays in baseDir)
//   stopSync(),                SIGKILLs all members, synchronously
// }
// Elections are quick (electionTimeoutMillis 2 s, heartbeats every 0.5 s): see mongo-replica-set.mjs.
//
// startRabbitCluster(opts) → {
//   urls: ['amqp://guest:guest@127.0.0.1:<port>', …],   one per node
//   url,                       urls.join(','): what RABBITMQ_URL accepts
//   nodes: [{ name, port }],   names like 'drill1-<random>@localhost'
//   kill(name),                SIGKILL of that node's Erlang VM (beam.smp): a crash, not a stop
//   restart(name),             starts it again on its data; resolves once the cluster sees it running
//   stop(),                    stops all nodes (SIGTERM, then SIGKILL; data stays in baseDir)
//   stopSync(),                SIGKILLs all nodes, synchronously
// }
//
// killProcessesUsingSync(baseDir) SIGKILLs every process of both (found by the paths under baseDir
// in their command line or environment) and waits for them to die: for a signal or exit handler,
// also while a start is still under way and there is no handle to stop yet. Then remove baseDir.
//
// `node scripts/drills/cluster/index.mjs --smoke` starts both, crashes and restarts a member of
// each, checks that they recover, stops them, and prints the timings.
import { fileURLToPath } from 'node:url';

export { startMongoReplicaSet } from './mongo-replica-set.mjs';
export { startRabbitCluster } from './rabbit-cluster.mjs';
export { killProcessesUsingSync } from './processes.mjs';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--smoke')) {
    const { smoke } = await import('./smoke.mjs');
    process.exitCode = await smoke();
  } else {
    console.error('usage: node scripts/drills/cluster/index.mjs --smoke');
    process.exitCode = 2;
  }
}
