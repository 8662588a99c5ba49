import { Schema, model } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';

/**
 * Which service process sends a subscriber's deliveries right now, until when. One process per
 * subscriber keeps its events in order and stops two replicas from sending one event twice.
 */
const laneLeaseSchema = new Schema(
  {
    /** The subscription's id. */
    _id: { type: String, required: true },
    holder: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { collection: 'webhooklaneleases', versionKey: false },
);
laneLeaseSchema.plugin(auditWrites, { resourceType: 'webhookLaneLease' });

export const LaneLeaseModel = model('WebhookLaneLease', laneLeaseSchema);
