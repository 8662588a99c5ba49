import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';
import { FEEDBACK_TOPICS, TICKET_STATES } from './letter-vocabulary';

const staffActSchema = new Schema(
  {
    text: { type: String, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    byName: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

const reopeningSchema = new Schema({ reason: { type: String, default: '' }, at: { type: Date, required: true } }, { _id: false });

/**
 * One topic of one parent's feedback (B6 §4): routed to an owner, answered to the parent, followed through,
 * closed only with both. Its `_id` is `<letter>:<submission>:<topic>`, so a feedback sent twice on a weak
 * connection makes its tickets once.
 */
const feedbackTicketSchema = new Schema(
  {
    _id: { type: String, required: true },
    campaign: { type: Schema.Types.ObjectId, ref: 'LetterCampaign', required: true },
    letter: { type: String, ref: 'FamilyLetter', required: true },
    college: { type: Schema.Types.ObjectId, ref: 'College', required: true },
    /** The family's counselor, who owns the ticket unless a routing rule names someone else. */
    counselor: { type: Schema.Types.ObjectId, ref: 'User' },
    topic: { type: String, enum: FEEDBACK_TOPICS, required: true },
    text: { type: String, required: true },
    contactWish: {
      wanted: { type: Boolean, default: false },
      phone: { type: String },
      when: { type: String },
    },
    owner: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    ownerName: { type: String, required: true },
    /** Why this owner: `counselor`, or the routing rule that matched. */
    routedBy: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    state: { type: String, enum: TICKET_STATES, required: true, default: 'open' },
    responses: { type: [staffActSchema], default: [] },
    followThrough: { type: [staffActSchema], default: [] },
    reopenings: { type: [reopeningSchema], default: [] },
    closedAt: { type: Date },
    closedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    remindedAt: { type: Date },
    escalatedAt: { type: Date },
    revision: { type: Number, required: true, default: 1 },
  },
  { timestamps: true, minimize: false },
);
feedbackTicketSchema.index({ campaign: 1, college: 1, state: 1 });
feedbackTicketSchema.index({ owner: 1, state: 1, dueAt: 1 });
feedbackTicketSchema.index({ state: 1, dueAt: 1 });
feedbackTicketSchema.index({ letter: 1 });
feedbackTicketSchema.index({ counselor: 1, state: 1, dueAt: 1 });
feedbackTicketSchema.plugin(auditWrites, { resourceType: 'feedbackTicket' });

export type FeedbackTicket = InferSchemaType<typeof feedbackTicketSchema>;
export const FeedbackTicketModel = model('FeedbackTicket', feedbackTicketSchema);
