import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { field } from '../../../shared/fields';
import { apiRequest } from '../../../shared/transport';

/** The service takes at most 100 outcomes a request. */
const CHUNK = 100;

const show = (p: INodeProperties) => field('campaign', ['recordDeliveries'], p);

export const description: INodeProperties[] = [
  show({
    displayName: 'Campaign ID (信件活动)',
    name: 'campaignId',
    type: 'string',
    default: '={{ $json.campaign }}',
    required: true,
    description: 'The campaign of the item’s letter (Get Outbox Batch and Get Reminders put it in each item as "campaign")',
  }),
  show({
    displayName: 'Letter ID (信件)',
    name: 'letter',
    type: 'string',
    default: '={{ $json.letter }}',
    required: true,
    description: 'The family letter the item reports on (each outbox item carries it as "letter")',
  }),
  show({
    displayName: 'Outcome (发送结果)',
    name: 'state',
    type: 'string',
    default: 'sent',
    required: true,
    placeholder: 'sent',
    description: 'Sent, delivered or failed — an expression such as {{ $json.error ? "failed" : "sent" }} reports each item’s own outcome',
  }),
  show({
    displayName: 'Failure Reason (失败原因)',
    name: 'error',
    type: 'string',
    default: '',
    description: 'Why sending failed (kept with the letter; ignored for sent and delivered)',
  }),
];

const STATES = ['sent', 'delivered', 'failed'];

interface Outcome {
  itemIndex: number;
  campaign: string;
  letter: string;
  state: string;
  error?: string;
}

/**
 * All input items at once, one request per campaign and 100 letters: the outcomes of a batch sent by the
 * nodes before. A repeated report of the same outcome counts once; when no letter is pending the
 * campaign opens. One output item per request: `{ campaign, letters, recorded, unrecorded }` (letters another
 * sender was reporting at that moment: report them again).
 */
export async function executeAll(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
  const items = this.getInputData();
  const output: INodeExecutionData[] = [];
  const byCampaign = new Map<string, Outcome[]>();
  for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
    try {
      const campaign = String(this.getNodeParameter('campaignId', itemIndex) ?? '').trim();
      const letter = String(this.getNodeParameter('letter', itemIndex) ?? '').trim();
      const state = String(this.getNodeParameter('state', itemIndex) ?? '').trim();
      const error = String(this.getNodeParameter('error', itemIndex, '') ?? '').trim();
      if (!campaign) throw new NodeOperationError(this.getNode(), 'Campaign ID is empty (信件活动编号为空)', { itemIndex });
      if (!letter) throw new NodeOperationError(this.getNode(), 'Letter ID is empty (信件编号为空)', { itemIndex });
      if (!STATES.includes(state)) throw new NodeOperationError(this.getNode(), `Outcome must be sent, delivered or failed, not "${state}" (发送结果应为 sent、delivered 或 failed)`, { itemIndex });
      const list = byCampaign.get(campaign) ?? [];
      list.push({ itemIndex, campaign, letter, state, ...(state === 'failed' ? { error: error.slice(0, 500) } : {}) });
      byCampaign.set(campaign, list);
    } catch (error) {
      const failure = error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error, { itemIndex });
      if (!this.continueOnFail()) throw failure;
      output.push({ json: { error: failure.message }, pairedItem: { item: itemIndex } });
    }
  }
  for (const [campaign, outcomes] of byCampaign) {
    for (let start = 0; start < outcomes.length; start += CHUNK) {
      const chunk = outcomes.slice(start, start + CHUNK);
      const pairedItem = chunk.map((o) => ({ item: o.itemIndex }));
      try {
        const body = { items: chunk.map(({ letter, state, error }) => ({ letter, state, ...(error !== undefined ? { error } : {}) })) };
        const answer = (await apiRequest.call(this, 'POST', `/api/letter-campaigns/${encodeURIComponent(campaign)}/deliveries`, { body })) as IDataObject;
        output.push({ json: { campaign, letters: chunk.length, ...answer }, pairedItem });
      } catch (error) {
        const failure = error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeApiError(this.getNode(), error as JsonObject);
        if (!this.continueOnFail()) throw failure;
        const { message, description } = failure;
        output.push({ json: { campaign, letters: chunk.length, error: message, ...(description ? { description } : {}) }, pairedItem });
      }
    }
  }
  return output;
}
