import type { RpcCaller } from '@lib/contracts';
import { GroupDirectory } from '../../../apps/loyalty/src/ledger/ports/group-directory';

/** Auth's side of GroupDirectory, scripted: the groups that exist, and every question asked. */
export class ScriptedGroupDirectory extends GroupDirectory {
  readonly asked: Array<[string, RpcCaller | undefined]> = [];

  constructor(readonly groups: Set<string>) {
    super();
  }

  exists(groupId: string, onBehalfOf: RpcCaller | undefined): Promise<boolean> {
    this.asked.push([groupId, onBehalfOf]);
    return Promise.resolve(this.groups.has(groupId));
  }
}
