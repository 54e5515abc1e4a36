import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@lib/persistence';
import { hashRefreshToken } from '../domain/refresh-family';
import { SessionsRepository } from '../ports/sessions.repository';

/** Logout ends the session (refresh family) the token belongs to; an unknown token is ignored. */
@Injectable()
export class LogOutHandler {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(refreshToken: string): Promise<{ loggedOut: true }> {
    const token = await this.sessions.findToken(hashRefreshToken(refreshToken));
    if (token) await this.uow.run(() => this.sessions.revokeFamily(token.familyId, 'logout', new Date()));
    return { loggedOut: true };
  }
}
