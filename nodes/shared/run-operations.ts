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

/** Requests in flight at once when every item runs a read (writes go one item after the other, in order). */
export const READS_IN_FLIGHT = 8;

const READ_ONLY = new WeakSet<Operation>();

/** Marks an operation that only reads: its items may be requested several at a time. */
export function readOnly(operation: Operation): Operation {
  READ_ONLY.add(operation);
  return operation;
}

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

type Outcome = Awaited<ReturnType<typeof runItem>>;

/** Runs `work(i)` for i in 0…count-1 with at most `inFlight` at once, starting no more once `stop()` says so. */
async function inPool(count: number, inFlight: number, work: (index: number) => Promise<void>, stop: () => boolean): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count && !stop()) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
}

/**
 * The item loop every node of the package shares: the chosen resource/operation for each input item,
 * `pairedItem` on every output, and one item's failure as an error item under Continue On Fail. When every
 * item runs a read (see `readOnly`), up to READS_IN_FLIGHT items are requested at once (n8n's HTTP Request
 * node sends every item's request without waiting); the output keeps the items' order either way. No new
 * item starts once the execution is stopped.
 */
export async function runOperations(this: IExecuteFunctions, operations: OperationTable): Promise<INodeExecutionData[][]> {
  const items = this.getInputData();
  const continueOnFail = this.continueOnFail();
  const outcomes: Outcome[] = [];
  const cancel = this.getExecutionCancelSignal();
  const failed = () => !!cancel?.aborted || (!continueOnFail && outcomes.some((outcome) => outcome && 'error' in outcome));
  const reads = items.every((_, itemIndex) => {
    const run = operations[this.getNodeParameter('resource', itemIndex) as string]?.[this.getNodeParameter('operation', itemIndex) as string];
    return !!run && READ_ONLY.has(run);
  });
  await inPool(items.length, reads ? READS_IN_FLIGHT : 1, async (itemIndex) => {
    outcomes[itemIndex] = await runItem.call(this, operations, itemIndex);
  }, failed);

  const output: INodeExecutionData[] = [];
  for (let itemIndex = 0; itemIndex < outcomes.length; itemIndex++) {
    const outcome = outcomes[itemIndex];
    if (!outcome) continue;
    if ('result' in outcome) {
      const { result } = outcome;
      if (result instanceof FileResult) output.push({ json: result.json, binary: result.binary, pairedItem: { item: itemIndex } });
      else output.push(...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result), { itemData: { item: itemIndex } }));
    } else if (continueOnFail) {
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
