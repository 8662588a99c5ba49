// Creates a credential in n8n, or updates the one of the same name and type, through the public API.

/** @returns {Promise<{ id: string, name: string, action: 'created' | 'updated' | 'kept' } | undefined>} */
export async function upsertCredential(api, { name, type, data }) {
  const existing = (await api.all('/credentials')).filter((c) => c.name === name && c.type === type);
  if (existing.length > 1) throw new Error(`n8n has ${existing.length} credentials named "${name}" (${type}); rename or delete the extra ones`);
  const [found] = existing;
  if (!data) return found ? { id: found.id, name: found.name, action: 'kept' } : undefined;
  if (found) {
    await api.patch(`/credentials/${found.id}`, { data });
    return { id: found.id, name: found.name, action: 'updated' };
  }
  const created = await api.post('/credentials', { name, type, data });
  return { id: created.id, name: created.name, action: 'created' };
}

/** n8n's own test of a stored credential: `{ status: 'OK' | 'Error', message }`. */
export async function testCredential(api, id) {
  return api.post(`/credentials/${id}/test`);
}
