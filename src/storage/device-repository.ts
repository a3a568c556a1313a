/** Device metadata: the device id (made once) and the stored session (DeviceRepository). */
import { z } from 'zod';
import { sessionSchema } from '../protocol/auth';
import type { DeviceRepository, StoredSession } from '../app/ports';
import type { DbAccess } from './db-access';
import { parseRow, RowCounter } from './parse-rows';

const DEVICE_ID = 'deviceId';
const SESSION = 'session';

const deviceIdSchema = z.object({ key: z.literal(DEVICE_ID), value: z.string().min(1).max(128) });
const sessionRowSchema = z.object({ key: z.literal(SESSION), value: sessionSchema.nullable() });

export class DexieDeviceRepository implements DeviceRepository {
  private readonly access: DbAccess;
  private readonly counter = new RowCounter();

  constructor(access: DbAccess) {
    this.access = access;
  }

  deviceId(make: () => string): Promise<string> {
    return this.access.write((db) =>
      // In one transaction, so two tabs starting together agree on one id.
      db.transaction('rw', db.device, async () => {
        const row = parseRow(deviceIdSchema, await db.device.get(DEVICE_ID), this.counter);
        if (row !== undefined) return row.value;
        const id = make();
        await db.device.put({ key: DEVICE_ID, value: id });
        return id;
      }),
    );
  }

  session(): Promise<StoredSession | null> {
    return this.access.read(async (db) => parseRow(sessionRowSchema, await db.device.get(SESSION), this.counter)?.value ?? null);
  }

  async saveSession(session: StoredSession | null): Promise<void> {
    await this.access.write((db) => db.device.put({ key: SESSION, value: session }));
  }
}
