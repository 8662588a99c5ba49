import type { Types } from 'mongoose';
import { ApiKeyModel } from '../../server/identity/api-key.model';
import type { Permission } from '../../server/identity/roles';
import { hashToken, newApiKeyMaterial } from '../../server/identity/secrets';
import type { Credentials } from './test-service';

/** A key for a role that may not mint keys itself (college leaders, counselors): stored the way the service stores one. */
export async function keyOf(owner: Credentials, college: Types.ObjectId, scopes: Permission[]): Promise<string> {
  const material = newApiKeyMaterial();
  await ApiKeyModel.create({ keyId: material.keyId, secretHash: hashToken(material.secret), name: 'n8n', scopes, owner: owner.userId, college });
  return material.plaintext;
}
