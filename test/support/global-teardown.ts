export default async function globalTeardown(): Promise<void> {
  const database = (globalThis as { __hsbTestDatabase?: { stop(): Promise<void> } }).__hsbTestDatabase;
  await database?.stop();
}
