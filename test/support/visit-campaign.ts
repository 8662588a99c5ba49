import type { Credentials, TestService } from './test-service';

/** Next year's winter break, when the visit campaigns of the tests take place. */
export const CAMPAIGN_YEAR = new Date().getFullYear() + 1;

/**
 * Creates a winter home-visit campaign for `colleges` as student affairs and opens it; answers its id.
 * `overrides` replace any field of the campaign (title, deadlines, coverage…).
 */
export async function openCampaign(t: TestService, officer: Credentials, colleges: string[], overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await t.request('POST', '/api/visit-campaigns', {
    as: officer,
    body: {
      title: `${CAMPAIGN_YEAR}年寒假家访`, break: 'winter', visitStartsOn: `${CAMPAIGN_YEAR}-01-15`, visitEndsOn: `${CAMPAIGN_YEAR}-02-20`, planDueAt: `${CAMPAIGN_YEAR}-01-10 12:00`, colleges,
      ...overrides,
    },
  });
  if (created.status !== 201) throw new Error(`campaign not created: ${created.status} ${JSON.stringify(created.body)}`);
  const opened = await t.request('POST', `/api/visit-campaigns/${created.body.id}/open`, { as: officer });
  if (opened.status !== 200) throw new Error(`campaign not opened: ${opened.status} ${JSON.stringify(opened.body)}`);
  return created.body.id as string;
}
