import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

/** `withheld`: not sent because the subscriber may no longer receive the event. */
export const DELIVERY_STATES = ['pending', 'delivered', 'failed', 'withheld'] as const;

/** One event for one subscription, with its delivery attempts (the delivery log). */
const webhookDeliverySchema = new Schema(
  {
    subscription: { type: Schema.Types.ObjectId, ref: 'WebhookSubscription', required: true },
    event: { type: String, required: true },
    /** The event's record scope, checked again against the subscriber before every attempt. */
    college: { type: Schema.Types.ObjectId, ref: 'College' },
    recordOwner: { type: Schema.Types.ObjectId, ref: 'User' },
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
