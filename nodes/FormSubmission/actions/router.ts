import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { runOperations, type OperationTable } from '../../shared/run-operations';
import * as form from './form';
import * as submission from './submission';

const OPERATIONS: OperationTable = {
  form: { getMany: form.getMany.execute },
  submission: {
    create: submission.create.execute,
    get: submission.get.execute,
    getMany: submission.getMany.execute,
    update: submission.update.execute,
  },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  return runOperations.call(this, OPERATIONS);
}
