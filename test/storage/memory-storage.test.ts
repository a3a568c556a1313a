import { createMemoryStorage } from '../../src/storage/memory-storage';
import { describeStorageContract } from './device-storage.contract';

describeStorageContract('in memory', () => Promise.resolve(createMemoryStorage()));
