import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** A JSON parameter (default `data`) as an object, or a clear error naming the item. */
export function parseData(context: IExecuteFunctions, itemIndex: number, parameter = 'data'): IDataObject {
  const raw = context.getNodeParameter(parameter, itemIndex) as unknown;
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new NodeOperationError(context.getNode(), 'Data is not valid JSON (表单数据不是有效的 JSON)', { itemIndex });
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new NodeOperationError(context.getNode(), 'Data must be a JSON object (表单数据必须是 JSON 对象)', { itemIndex });
  }
  return value as IDataObject;
}
