import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** An operation's answer that carries a file: its JSON and its binary data (e.g. `data`). */
export class FileResult {
  constructor(
    readonly json: IDataObject,
    readonly binary: IBinaryKeyData,
  ) {}
}

export type Operation = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[] | FileResult>;
export type OperationTable = Record<string, Record<string, Operation>>;

type NodeError = NodeApiError | NodeOperationError;

/** Runs one item's operation; any failure comes back as a node error carrying the item index. */
async function runItem(this: IExecuteFunctions, operations: OperationTable, itemIndex: number): Promise<{ result: IDataObject | IDataObject[] | FileResult } | { error: NodeError }> {
  const resource = this.getNodeParameter('resource', itemIndex) as string;
  const operation = this.getNodeParameter('operation', itemIndex) as string;
  const run = operations[resource]?.[operation];
  if (!run) {
    return { error: new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, { itemIndex }) };
  }
  try {
    return { result: await run.call(this, itemIndex) };
  } catch (error) {
    if (error instanceof NodeApiError || error instanceof NodeOperationError) return { error };
    return { error: new NodeOperationError(this.getNode(), error as Error, { itemIndex }) };
  }
}

/**
 * The item loop every node of the package shares: the chosen resource/operation for each input item,
 * `pairedItem` on every output, and one item's failure as an error item under Continue On Fail.
 */
export async function runOperations(this: IExecuteFunctions, operations: OperationTable): Promise<INodeExecutionData[][]> {
  const items = this.getInputData();
  const output: INodeExecutionData[] = [];
  for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
    const outcome = await runItem.call(this, operations, itemIndex);
    if ('result' in outcome) {
      const { result } = outcome;
      if (result instanceof FileResult) output.push({ json: result.json, binary: result.binary, pairedItem: { item: itemIndex } });
      else output.push(...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result), { itemData: { item: itemIndex } }));
    } else if (this.continueOnFail()) {
      const { message, description } = outcome.error;
      // Under "On Error: Continue (using error output)" n8n sends an item to the error output by its `error`.
      const toErrorOutput = this.getNode().onError === 'continueErrorOutput' ? { error: outcome.error } : {};
      output.push({ json: { error: message, ...(description ? { description } : {}) }, ...toErrorOutput, pairedItem: { item: itemIndex } });
    } else {
      throw outcome.error;
    }
  }
  return [output];
}
