import { Injectable } from '@nestjs/common';
import { Schema, type Model } from 'mongoose';
import { InjectModel, TransactionScope } from '@lib/persistence';
import { Group, GroupMember, Invite } from '../domain/group';
import { GroupsRepository } from '../ports/groups.repository';
import { InvitesRepository } from '../ports/invites.repository';

interface GroupDoc {
  _id: string;
  ownerId: string;
  members: GroupMember[];
  memberCount: number;
  createdAt: Date;
}
interface InviteDoc extends Omit<Invite, 'codeHash'> {
  _id: string;
  usedBy: string | null;
}

export const GROUP_MODEL = 'Group';
export const groupSchema = new Schema<GroupDoc>(
  {
    _id: { type: String, required: true },
    ownerId: { type: String, required: true },
    members: {
      type: [{ _id: false, userId: String, username: String, joinedAt: Date }],
      required: true,
    },
    memberCount: { type: Number, required: true, min: 0 },
    createdAt: { type: Date, required: true },
  },
  { collection: 'groups', versionKey: false },
);

export const INVITE_MODEL = 'Invite';
export const inviteSchema = new Schema<InviteDoc>(
  {
    _id: { type: String, required: true },
    groupId: { type: String, required: true },
    createdBy: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    usedBy: { type: String, default: null },
  },
  { collection: 'invites', versionKey: false },
);
// Expired invites are useless: MongoDB removes them a day after expiry.
inviteSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 24 * 3600 });

const toGroup = (doc: GroupDoc): Group => ({
  groupId: doc._id,
  ownerId: doc.ownerId,
  members: doc.members,
  createdAt: doc.createdAt,
});

@Injectable()
export class MongoGroupsRepository extends GroupsRepository {
  constructor(@InjectModel(GROUP_MODEL) private readonly groups: Model<GroupDoc>) {
    super();
  }

  async create(group: Group): Promise<void> {
    await this.groups.create(
      [
        {
          _id: group.groupId,
          ownerId: group.ownerId,
          members: group.members,
          memberCount: group.members.length,
          createdAt: group.createdAt,
        },
      ],
      { session: TransactionScope.session() },
    );
  }

  async findById(groupId: string): Promise<Group | null> {
    const doc = await this.groups
      .findById(groupId)
      .session(TransactionScope.session() ?? null)
      .lean<GroupDoc>();
    return doc ? toGroup(doc) : null;
  }

  async findByIds(groupIds: string[]): Promise<Group[]> {
    if (!groupIds.length) return [];
    const docs = await this.groups
      .find({ _id: { $in: groupIds } })
      .session(TransactionScope.session() ?? null)
      .lean<GroupDoc[]>();
    return docs.map(toGroup);
  }

  async addMember(groupId: string, member: GroupMember, maxMembers: number): Promise<boolean> {
    const result = await this.groups.updateOne(
      { _id: groupId, memberCount: { $lt: maxMembers } },
      { $push: { members: member }, $inc: { memberCount: 1 } },
      { session: TransactionScope.session() },
    );
    return result.modifiedCount === 1;
  }

  count(): Promise<number> {
    return this.groups.countDocuments({}).session(TransactionScope.session() ?? null);
  }
}

@Injectable()
export class MongoInvitesRepository extends InvitesRepository {
  constructor(@InjectModel(INVITE_MODEL) private readonly invites: Model<InviteDoc>) {
    super();
  }

  async create(invite: Invite): Promise<void> {
    const { codeHash, ...rest } = invite;
    await this.invites.create([{ _id: codeHash, ...rest, usedBy: null }], {
      session: TransactionScope.session(),
    });
  }

  async consume(codeHash: string, usedBy: string, now: Date): Promise<Invite | null> {
    const doc = await this.invites
      .findOneAndUpdate(
        { _id: codeHash, usedAt: null, expiresAt: { $gt: now } },
        { $set: { usedAt: now, usedBy } },
        { new: true, session: TransactionScope.session() },
      )
      .lean<InviteDoc>();
    return doc
      ? {
          codeHash: doc._id,
          groupId: doc.groupId,
          createdBy: doc.createdBy,
          expiresAt: doc.expiresAt,
          usedAt: doc.usedAt,
        }
      : null;
  }
}
