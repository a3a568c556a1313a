/** Per room: the relay's last state vector and when it last covered ours (RoomSyncStateRepository). */
import { z } from 'zod';
import type { RoomSyncState, RoomSyncStateRepository } from '../app/ports';
import type { DbAccess } from './db-access';
import { parseRow, parseRows, RowCounter } from './parse-rows';

const roomSyncSchema = z.object({
  room: z.string().min(1),
  portfolioId: z.string().min(1),
  serverStateVector: z.instanceof(Uint8Array).nullable(),
  lastServerSyncAt: z.string().nullable(),
});

export class DexieRoomSyncRepository implements RoomSyncStateRepository {
  private readonly access: DbAccess;
  private readonly counter = new RowCounter();

  constructor(access: DbAccess) {
    this.access = access;
  }

  get(room: string): Promise<RoomSyncState | undefined> {
    return this.access.read(async (db) => parseRow(roomSyncSchema, await db.roomSync.get(room), this.counter));
  }

  async put(state: RoomSyncState): Promise<void> {
    await this.access.write((db) =>
      db.roomSync.put({ room: state.room, portfolioId: state.portfolioId, serverStateVector: state.serverStateVector, lastServerSyncAt: state.lastServerSyncAt }),
    );
  }

  list(portfolioId: string): Promise<RoomSyncState[]> {
    return this.access.read(async (db) => parseRows(roomSyncSchema, await db.roomSync.where('portfolioId').equals(portfolioId).toArray(), this.counter));
  }
}
