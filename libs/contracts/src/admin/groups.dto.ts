import { ApiProperty } from '@nestjs/swagger';
import { USER_STATUSES } from './users.dto';

/**
 * `RPC.auth.groupExists`'s answer. Auth owns groups; loyalty asks before it acts on a group an
 * admin names (`/v1/admin/groups/{groupId}/…`), so no ledger is opened for a group that isn't one.
 * Not on the public API.
 */
export interface GroupExistsDto {
  groupId: string;
  exists: boolean;
}

/** A member of a group as administrators see it. */
export class AdminGroupMemberDto {
  @ApiProperty() userId!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ type: String, nullable: true }) fullName!: string | null;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: USER_STATUSES }) status!: string;
}

/** `GET /v1/admin/groups/{groupId}`: any group and its members, for administrators. */
export class AdminGroupDto {
  @ApiProperty({ format: 'uuid' }) groupId!: string;
  @ApiProperty({ example: 4 }) maxMembers!: number;
  @ApiProperty({ type: [AdminGroupMemberDto], description: 'In the order they joined' })
  members!: AdminGroupMemberDto[];
}
