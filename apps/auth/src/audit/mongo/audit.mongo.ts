import { Injectable } from '@nestjs/common';
import type { Collection, Filter } from 'mongodb';
import { Schema, type Model } from 'mongoose';
import type { CountedPage } from '@lib/contracts';
import { type KeysetOrder, PageRequest, readPage } from '@lib/paging';
import { InjectModel, TransactionScope } from '@lib/persistence';
import { ChainedAuditEntry, ChainHead, EMPTY_CHAIN } from '../domain/audit-chain';
import { AuditLogFilter, AuditLogRepository, ChainMoved } from '../ports/audit-log.repository';

interface AuditDoc extends Omit<ChainedAuditEntry, 'auditId' | 'createdAt'> {
  _id: string;
  createdAt: Date;
  recordedAt: Date;
}
interface HeadDoc extends ChainHead {
  _id: 'head';
}

export const AUDIT_MODEL = 'AuditEntry';
export const auditSchema = new Schema<AuditDoc>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    actorId: { type: String, required: true },
    action: { type: String, required: true },
    target: { type: String, required: true },
    details: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  // minimize off: an empty object inside `details` must come back as it was hashed.
  { collection: 'audit_log', versionKey: false, minimize: false },
);
auditSchema.index({ seq: 1 }, { unique: true });
// The list: newest first by (createdAt, seq), alone or filtered by actor, action or target.
auditSchema.index({ createdAt: -1, seq: -1 });
auditSchema.index({ actorId: 1, createdAt: -1, seq: -1 });
auditSchema.index({ action: 1, createdAt: -1, seq: -1 });
auditSchema.index({ target: 1, createdAt: -1, seq: -1 });

export const AUDIT_HEAD_MODEL = 'AuditChainHead';
export const auditHeadSchema = new Schema<HeadDoc>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    hash: { type: String, required: true },
    lastAuditId: { type: String, default: null },
  },
  { collection: 'audit_chain', versionKey: false },
);

/**
 * `action`'s filter: exact, or a prefix when it ends with `*` (anchored and escaped, so the action
 * index still serves it); a lone `*` matches every action.
 */
function actionFilter(action: string): Filter<AuditDoc> {
  if (!action.endsWith('*')) return { action };
  const prefix = action.slice(0, -1);
  return prefix ? { action: { $regex: `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` } } : {};
}

/** The list's order: newest first by when the change was made, ties broken by the chain's seq. */
const NEWEST_FIRST: KeysetOrder = {
  fields: [
    { path: 'createdAt', order: 'desc', date: true },
    { path: 'seq', order: 'desc' },
  ],
  key: ['number', 'number'],
};

const toEntry = (doc: AuditDoc): ChainedAuditEntry => ({
  auditId: doc._id,
  seq: doc.seq,
  actorId: doc.actorId,
  action: doc.action,
  target: doc.target,
  details: doc.details,
  createdAt: doc.createdAt.toISOString(),
  prevHash: doc.prevHash,
  hash: doc.hash,
});

/** Driver calls throughout: mongoose casting must not alter what was hashed. */
@Injectable()
export class MongoAuditLogRepository extends AuditLogRepository {
  private readonly entries: Collection<AuditDoc>;
  private readonly heads: Collection<HeadDoc>;

  constructor(
    @InjectModel(AUDIT_MODEL) entries: Model<AuditDoc>,
    @InjectModel(AUDIT_HEAD_MODEL) heads: Model<HeadDoc>,
  ) {
    super();
    this.entries = entries.collection as unknown as Collection<AuditDoc>;
    this.heads = heads.collection as unknown as Collection<HeadDoc>;
  }

  async has(auditId: string): Promise<boolean> {
    const found = await this.entries.findOne(
      { _id: auditId },
      { session: TransactionScope.session(), projection: { _id: 1 } },
    );
    return found !== null;
  }

  async head(): Promise<ChainHead> {
    const doc = await this.heads.findOne({ _id: 'head' }, { session: TransactionScope.session() });
    return doc ? { seq: doc.seq, hash: doc.hash, lastAuditId: doc.lastAuditId ?? null } : EMPTY_CHAIN;
  }

  async append(entry: ChainedAuditEntry): Promise<void> {
    const session = TransactionScope.session();
    if (!session) throw new Error('AuditLogRepository.append must run inside UnitOfWork.run');
    const expected = entry.seq - 1;
    // The first append creates the head (upsert); a concurrent first append then meets a
    // duplicate _id or a write conflict, and is retried.
    const moved = await this.heads.updateOne(
      { _id: 'head', seq: expected },
      { $set: { seq: entry.seq, hash: entry.hash, lastAuditId: entry.auditId } },
      { session, upsert: expected === 0 },
    );
    if (moved.matchedCount + moved.upsertedCount !== 1) throw new ChainMoved();
    const { auditId, createdAt, ...rest } = entry;
    await this.entries.insertOne(
      { _id: auditId, ...rest, createdAt: new Date(createdAt), recordedAt: new Date() },
      { session },
    );
  }

  async list(filter: AuditLogFilter, page: PageRequest): Promise<CountedPage<ChainedAuditEntry>> {
    const query: Filter<AuditDoc> = {};
    if (filter.actorId !== undefined) query.actorId = filter.actorId;
    if (filter.action !== undefined) Object.assign(query, actionFilter(filter.action));
    if (filter.target !== undefined) query.target = filter.target;
    if (filter.from || filter.to) {
      query.createdAt = { ...(filter.from && { $gte: filter.from }), ...(filter.to && { $lt: filter.to }) };
    }
    const [found, total] = await Promise.all([
      readPage(
        page,
        NEWEST_FIRST,
        ({ filter: after, sort, limit }) =>
          this.entries
            .find({ ...query, ...after })
            .sort(sort)
            .limit(limit)
            .toArray(),
        toEntry,
      ),
      // Unfiltered, the collection's own count answers at once; the log only ever grows.
      Object.keys(query).length ? this.entries.countDocuments(query) : this.entries.estimatedDocumentCount(),
    ]);
    return { ...found, total };
  }

  async recordedNames(targets: string[]): Promise<Map<string, string>> {
    if (!targets.length) return new Map();
    // The (target, createdAt, seq) index serves the match and the newest-first sort.
    const named = await this.entries
      .aggregate<{ _id: string; name: string }>([
        {
          $match: {
            target: { $in: targets },
            $or: [{ 'details.name': { $type: 'string' } }, { 'details.url': { $type: 'string' } }],
          },
        },
        { $sort: { target: 1, createdAt: -1, seq: -1 } },
        {
          $group: {
            _id: '$target',
            name: {
              $first: {
                $cond: [{ $eq: [{ $type: '$details.name' }, 'string'] }, '$details.name', '$details.url'],
              },
            },
          },
        },
      ])
      .toArray();
    return new Map(named.map((n) => [n._id, n.name]));
  }

  async *walk(lastSeq: number): AsyncIterable<ChainedAuditEntry> {
    const cursor = this.entries
      .find({ seq: { $lte: lastSeq } })
      .sort({ seq: 1 })
      .batchSize(1000);
    try {
      for await (const doc of cursor) yield toEntry(doc);
    } finally {
      await cursor.close();
    }
  }
}
