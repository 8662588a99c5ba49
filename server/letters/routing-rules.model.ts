import { Schema, model, type InferSchemaType } from 'mongoose';
import { auditWrites } from '../audit/audit-writes.plugin';
import { FEEDBACK_TOPICS } from './letter-vocabulary';

const ruleSchema = new Schema(
  {
    topic: { type: String, enum: FEEDBACK_TOPICS, required: true },
    /** Absent: the rule holds for every college (a college's own rule for the topic wins). */
    college: { type: Schema.Types.ObjectId, ref: 'College' },
    owner: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    note: { type: String, default: '' },
  },
  { _id: false },
);

/**
 * Where feedback goes besides the family's counselor (B6 §4), e.g. teaching → the academic-affairs office.
 * One settings document (`_id: 'letterRouting'`), changed whole with If-Match on its revision.
 */
const routingRulesSchema = new Schema(
  {
    _id: { type: String, required: true },
    rules: { type: [ruleSchema], default: [] },
    revision: { type: Number, required: true, default: 0 },
    updatedBy: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true },
);
routingRulesSchema.plugin(auditWrites, { resourceType: 'letterRouting' });

export const ROUTING_RULES_ID = 'letterRouting';
export type RoutingRules = InferSchemaType<typeof routingRulesSchema>;
export const RoutingRulesModel = model('LetterRoutingRules', routingRulesSchema);
