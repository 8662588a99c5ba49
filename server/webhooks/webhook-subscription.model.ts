import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

/** Where events are delivered. The signing secret is kept encrypted (FieldCipher). */
const webhookSubscriptionSchema = new Schema(
  {
    url: { type: String, required: true },
    events: [{ type: String, required: true }],
    sealedSecret: { type: String, required: true },
    description: { type: String, maxlength: 200 },
    /**
     * Deliveries carry only events this user — through this API key when subscribed with one — may
     * read at delivery time (subscriber-access.ts): a deactivated owner or revoked key receives nothing.
     */
    owner: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    apiKey: { type: Schema.Types.ObjectId, ref: 'ApiKey' },
  },
  { timestamps: true },
);
webhookSubscriptionSchema.plugin(auditWrites, { resourceType: 'webhookSubscription' });

export type WebhookSubscription = InferSchemaType<typeof webhookSubscriptionSchema>;
export const WebhookSubscriptionModel = model('WebhookSubscription', webhookSubscriptionSchema);
