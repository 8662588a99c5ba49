import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

/** `withheld`: not sent because the subscriber may no longer receive the event. */
export const DELIVERY_STATES = ['pending', 'delivered', 'failed', 'withheld'] as const;
export type FinishedState = Exclude<(typeof DELIVERY_STATES)[number], 'pending'>;

/** One event for one subscription, with its delivery attempts. */
const deliveryFields = {
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
} as const;

/**
 * The queue: deliveries still to be made (pending, or waiting for a retry). A delivery leaves it when it
 * is finished, so what the service reads to find due deliveries stays as small as what is due — the
 * embedded engine reads a whole collection for any filter other than `_id`.
 */
const webhookDeliverySchema = new Schema(deliveryFields, { timestamps: true });
webhookDeliverySchema.index({ status: 1, nextAttemptAt: 1 });
webhookDeliverySchema.index({ subscription: 1, createdAt: -1 });
webhookDeliverySchema.plugin(auditWrites, { resourceType: 'webhookDelivery' });

/** The delivery log: finished deliveries (delivered, failed, withheld) under the `_id` they had in the queue. */
const webhookDeliveryLogSchema = new Schema(deliveryFields, { timestamps: true, collection: 'webhookdeliverylog' });
webhookDeliveryLogSchema.index({ subscription: 1, createdAt: -1 });
webhookDeliveryLogSchema.plugin(auditWrites, { resourceType: 'webhookDeliveryLog' });

export type WebhookDelivery = InferSchemaType<typeof webhookDeliverySchema>;
export const WebhookDeliveryModel = model('WebhookDelivery', webhookDeliverySchema);
export const WebhookDeliveryLogModel = model('WebhookDeliveryLog', webhookDeliveryLogSchema);
