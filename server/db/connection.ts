import mongoose from 'mongoose';

/** Connects the process-wide mongoose connection; autoIndex stays on so unique indexes exist before use. */
export async function connectDatabase(uri: string, databaseName: string, maxPoolSize?: number): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  await mongoose.connect(uri, {
    dbName: databaseName,
    ...(maxPoolSize ? { maxPoolSize, minPoolSize: Math.min(1, maxPoolSize) } : {}),
    serverSelectionTimeoutMS: 10_000,
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
