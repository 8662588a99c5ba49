import { parseDefinition } from '../../server/forms/form-definition';
import { saveVersion } from '../../server/forms/form-catalog';

/**
 * A form with sensitive values at every depth: a marked field inside a container and inside data-grid
 * rows, every field of a marked panel, and a marked data grid as a whole.
 */
export const HOUSEHOLD_FORM = {
  path: 'householdSurvey',
  title: '家庭情况调查',
  components: [
    { type: 'textfield', key: 'studentName', label: '学生姓名', input: true, validate: { required: true } },
    {
      type: 'container', key: 'household', label: '家庭', input: true,
      components: [
        { type: 'textfield', key: 'town', label: '所在地', input: true },
        { type: 'textarea', key: 'familyFinances', label: '家庭经济情况', input: true, properties: { sensitive: 'true' } },
      ],
    },
    {
      type: 'datagrid', key: 'members', label: '家庭成员', input: true,
      components: [
        { type: 'textfield', key: 'memberName', label: '姓名', input: true },
        { type: 'textarea', key: 'healthNotes', label: '健康状况', input: true, properties: { sensitive: 'true' } },
      ],
    },
    {
      type: 'panel', key: 'counselingPanel', title: '心理辅导', input: false, properties: { sensitive: 'true' },
      components: [{ type: 'textarea', key: 'counselingNotes', label: '辅导记录', input: true }],
    },
    {
      type: 'datagrid', key: 'debts', label: '家庭负债', input: true, properties: { sensitive: 'true' },
      components: [
        { type: 'textfield', key: 'lender', label: '债权人', input: true },
        { type: 'number', key: 'amount', label: '金额', input: true },
      ],
    },
    { type: 'button', key: 'submit', label: '提交', input: true, action: 'submit' },
  ],
};

export const HOUSEHOLD_DATA = {
  studentName: '王芳',
  household: { town: '临沂市', familyFinances: '母亲失业，靠低保' },
  members: [
    { memberName: '王强', healthNotes: '父亲腰伤，不能干重活' },
    { memberName: '李梅', healthNotes: '母亲患糖尿病' },
  ],
  counselingNotes: '失眠两周，已转介心理中心',
  debts: [{ lender: '信用社', amount: 30000 }],
};

/** The plain-text sensitive values above: none may appear in a stored document. */
export const HOUSEHOLD_SECRETS = ['母亲失业', '腰伤', '糖尿病', '失眠', '信用社', '30000'];

export async function installHouseholdForm(): Promise<void> {
  await saveVersion(parseDefinition(HOUSEHOLD_FORM, 'household test form'), 'file');
}
