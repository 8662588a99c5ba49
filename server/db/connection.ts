import mongoose from 'mongoose';

/** Connects the process-wide mongoose connection; autoIndex stays on so unique indexes exist before use. */
/**
 * `timeoutMs` bounds how long a request waits for an unreachable database before it fails with 503
 * (server selection, or mongoose's queue while disconnected), instead of hanging.
 */
export async function connectDatabase(uri: string, databaseName: string, maxPoolSize?: number, timeoutMs = 5_000): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  mongoose.set('bufferTimeoutMS', timeoutMs);
  await mongoose.connect(uri, {
    dbName: databaseName,
    heartbeatFrequencyMS: Math.max(500, Math.min(timeoutMs, 10_000)),
    ...(maxPoolSize ? { maxPoolSize, minPoolSize: Math.min(1, maxPoolSize) } : {}),
    serverSelectionTimeoutMS: timeoutMs,
    autoIndex: true,
  });
  await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
  return mongoose;
}

export async function isDatabaseReachable(): Promise<boolean> {
  const db = mongoose.connection.db;
  if (mongoose.connection.readyState !== 1 || !db) return false;
  try {
    await db.admin().ping();
    return true;
  } catch {
    return false;
  }
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}
