import { randomBytes } from 'node:crypto';
import type {
  IDataObject,
  IHookFunctions,
  INodeType,
  INodeTypeDescription,
  IWebhookFunctions,
  IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes } from 'n8n-workflow';
import { apiRequest } from '../shared/transport';
import { verifySignature } from './signature';

interface TriggerStaticData extends IDataObject {
  webhookId?: string;
  secret?: string;
}

export class HomeSchoolBridgeTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Home–School Bridge Trigger (家校心桥触发器)',
    name: 'homeSchoolBridgeTrigger',
    icon: { light: 'file:homeSchoolBridge.svg', dark: 'file:homeSchoolBridge.dark.svg' },
    group: ['trigger'],
    version: 1,
    subtitle: '={{$parameter["events"].join(", ")}}',
    description: 'Starts the workflow when Home–School Bridge reports an event (signed webhook)',
    defaults: { name: 'Home–School Bridge Trigger' },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'homeSchoolBridgeApi', required: true }],
    webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
    properties: [
      {
        displayName: 'Events (事件)',
        name: 'events',
        type: 'multiOptions',
        required: true,
        default: ['submission.created'],
        options: [
          { name: 'Archive Updated (档案已更新)', value: 'archive.updated' },
          { name: 'Award Recorded (奖惩已记录)', value: 'award.recorded' },
          { name: 'Campaign Closed (家访活动已结束)', value: 'campaign.closed' },
          { name: 'Campaign Opened (家访活动已发布)', value: 'campaign.opened' },
          { name: 'Campaign Plan Deadline Approaching (家访计划即将截止)', value: 'campaign.deadlineApproaching' },
          { name: 'Campaign Plan Overdue (家访计划逾期未报)', value: 'campaign.planOverdue' },
          { name: 'Case Closed (重点沟通已办结)', value: 'case.closed' },
          { name: 'Case Opened (重点沟通已立项)', value: 'case.opened' },
          { name: 'Case Overdue (重点沟通已逾期)', value: 'case.overdue' },
          { name: 'Feedback Overdue (家长反馈逾期未回应)', value: 'feedback.overdue' },
          { name: 'Feedback Received (收到家长反馈)', value: 'feedback.received' },
          { name: 'Good-News Letter Ready (喜报待发送)', value: 'letter.ready' },
          { name: 'Mentoring Group Closed (帮扶小组已结束)', value: 'mentoring.closed' },
          { name: 'Mentoring Group Formed (帮扶小组已成立)', value: 'mentoring.formed' },
          { name: 'Mentoring Group Inactive (帮扶小组久未活动)', value: 'mentoring.inactive' },
          { name: 'Mentoring Group Proposed (帮扶小组待审批)', value: 'mentoring.proposed' },
          { name: 'Student Marked Special (学生新列为特殊群体)', value: 'student.markedSpecial' },
          { name: 'Submission Created (新提交)', value: 'submission.created' },
          { name: 'Submission Updated (提交已修改)', value: 'submission.updated' },
          { name: 'Term Letter Opened (家长已阅读致家长的一封信)', value: 'letter.opened' },
          { name: 'Term Letter Sent (致家长的一封信已发出)', value: 'letterCampaign.sent' },
          { name: 'Visit Plan Approved (家访计划已审批)', value: 'visitPlan.approved' },
          { name: 'Visit Plan Returned (家访计划已退回)', value: 'visitPlan.returned' },
          { name: 'Visit Plan Submitted (家访计划已提交)', value: 'visitPlan.submitted' },
          { name: 'Visit Report Submitted (家访报告已提交)', value: 'visitReport.submitted' },
          { name: 'Visit Report Returned (家访报告已退回)', value: 'visitReport.rejected' },
        ],
      },
    ],
  };

  webhookMethods = {
    default: {
      async checkExists(this: IHookFunctions): Promise<boolean> {
        const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
        if (!staticData.webhookId) return false;
        const url = this.getNodeWebhookUrl('default') as string;
        const subscriptions = (await apiRequest.call(this, 'GET', '/api/webhooks', { qs: { url } })) as Array<{ id: string }>;
        if (subscriptions.some((s) => s.id === staticData.webhookId)) return true;
        delete staticData.webhookId;
        delete staticData.secret;
        return false;
      },

      async create(this: IHookFunctions): Promise<boolean> {
        const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
        const secret = randomBytes(32).toString('hex');
        const created = (await apiRequest.call(this, 'POST', '/api/webhooks', {
          body: {
            url: this.getNodeWebhookUrl('default') as string,
            events: this.getNodeParameter('events') as string[],
            secret,
            description: `n8n workflow ${this.getWorkflow().id ?? ''} · ${this.getNode().name}`,
          },
        })) as { id: string };
        staticData.webhookId = created.id;
        staticData.secret = secret;
        return true;
      },

      async delete(this: IHookFunctions): Promise<boolean> {
        const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
        if (staticData.webhookId) {
          const failure = await apiRequest.call(this, 'DELETE', `/api/webhooks/${staticData.webhookId}`).then(
            () => undefined,
            (error: unknown) => error,
          );
          // Already gone on the service side is what we wanted; anything else is a real failure.
          const alreadyGone = failure instanceof NodeApiError && failure.httpCode === '404';
          if (failure && !alreadyGone) {
            throw failure instanceof NodeApiError ? failure : new NodeApiError(this.getNode(), { message: String(failure) });
          }
        }
        delete staticData.webhookId;
        delete staticData.secret;
        return true;
      },
    },
  };

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
    const request = this.getRequestObject() as unknown as { rawBody?: Buffer; body: unknown; headers: Record<string, string | undefined> };
    const raw = request.rawBody ? request.rawBody.toString('utf8') : JSON.stringify(request.body);
    const valid = !!staticData.secret && verifySignature(staticData.secret, request.headers['x-hsb-signature'], raw, Math.floor(Date.now() / 1000));
    if (!valid) {
      const response = this.getResponseObject();
      response.status(401).json({ message: 'invalid or expired signature / 签名无效或已过期' });
      return { noWebhookResponse: true };
    }
    const body = JSON.parse(raw) as IDataObject;
    await linkFromCredential(this, body);
    return {
      workflowData: [this.helpers.returnJsonArray({ ...body, deliveryId: request.headers['x-hsb-delivery'] ?? null })],
    };
  }
}

/**
 * An event's `data.link` is a path when the service has no HSB_PUBLIC_URL: it is completed with the
 * credential's base URL, the address this n8n reaches the service at, so that an e-mail's link opens.
 */
async function linkFromCredential(context: IWebhookFunctions, body: IDataObject): Promise<void> {
  const data = body.data as IDataObject | undefined;
  if (!data || typeof data.link !== 'string' || !data.link.startsWith('/')) return;
  const credentials = await context.getCredentials('homeSchoolBridgeApi');
  const base = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.replace(/\/+$/, '') : '';
  if (base) data.link = `${base}${data.link}`;
}
