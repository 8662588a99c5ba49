import { Evaluator, interpolateErrors, process, ProcessTargets, type Component } from '@formio/core';
import type { FieldProblem } from '../http/problem';

// No JavaScript from a form definition ever runs on the server: custom validations, calculated
// values and JS conditions become no-ops; cross-field rules are the service's own (submission-rules).
Evaluator.noeval = true;
(Evaluator as unknown as { evaluator: () => () => undefined }).evaluator = () => () => undefined;

interface CoreFieldError {
  errorKeyOrMessage: string;
  ruleName: string;
  context: { path: string; component: Component & { errors?: Record<string, string> } } & Record<string, unknown>;
}

export interface ValidationOutcome {
  /** Data as Form.io's server processors leave it: unknown keys removed, defaults and normalisation applied. */
  data: Record<string, unknown>;
  problems: FieldProblem[];
}

function zhMessage(error: CoreFieldError, zh: Record<string, string>, english: string): string {
  const custom = error.context.component.errors?.[error.errorKeyOrMessage];
  const template = custom ?? zh[error.errorKeyOrMessage];
  if (!template) return english;
  const field = error.context.component.label ?? error.context.component.key;
  return Evaluator.interpolateString(template, { ...error.context, field }) as string;
}

/** Validates submission data against one form definition with @formio/core, as Form.io's own server does. */
export async function validateWithDefinition(
  components: Component[],
  data: Record<string, unknown>,
  zh: Record<string, string>,
): Promise<ValidationOutcome> {
  const context = {
    components,
    data: structuredClone(data),
    processors: ProcessTargets.submission,
    scope: { errors: [] as unknown[] },
    config: { server: true },
  };
  await process(context as never);
  context.processors = ProcessTargets.evaluator;
  await process(context as never);

  const errors = context.scope.errors as CoreFieldError[];
  // A definition's `errors` map holds the Chinese text; the English comes from @formio/core's own table.
  const withoutCustomText = errors.map((error) => ({ ...error, context: { ...error.context, component: { ...error.context.component, errors: undefined } } }));
  const english = interpolateErrors(withoutCustomText as never, 'en') as Array<{ message: string; context: { path: string; validator: string } }>;
  const problems = errors.map((error, index) => {
    const en = english[index]!;
    return {
      path: en.context.path,
      message: zhMessage(error, zh, en.message),
      messageEn: en.message,
      rule: error.ruleName,
    };
  });
  return { data: context.data, problems };
}
