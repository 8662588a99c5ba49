import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;

/** One event for one subscription, with its delivery attempts (the delivery log). */
const webhookDeliverySchema = new Schema(
  {
    subscription: { type: Schema.Types.ObjectId, ref: 'WebhookSubscription', required: true },
    event: { type: String, required: true },
    body: { type: String, required: true },
    status: { type: String, enum: DELIVERY_STATES, required: true, default: 'pending' },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    lastStatusCode: { type: Number },
    lastError: { type: String },
    deliveredAt: { type: Date },
  },
  { timestamps: true },
);
webhookDeliverySchema.index({ status: 1, nextAttemptAt: 1 });
webhookDeliverySchema.index({ subscription: 1, createdAt: -1 });
webhookDeliverySchema.plugin(auditWrites, { resourceType: 'webhookDelivery' });

export type WebhookDelivery = InferSchemaType<typeof webhookDeliverySchema>;
export const WebhookDeliveryModel = model('WebhookDelivery', webhookDeliverySchema);
