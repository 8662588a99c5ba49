// Turns a shipped workflow file into the body n8n's public API takes to create or update it: credentials
// bound by id, the Settings (设置) node filled in, webhook ids kept from the workflow it replaces.
import { randomUUID } from 'node:crypto';

export const SETTINGS_NODE = 'Settings (设置)';

/**
 * @param shipped    the workflow file as shipped
 * @param credentials map of credential type → { id, name } (a type missing here is left unbound)
 * @param settings   Settings values to set (name → value); unset ones keep what `existing` has
 * @param existing   the workflow of the same name already in n8n, if any
 */
export function bindWorkflow(shipped, { credentials, settings, existing }) {
  const before = new Map((existing?.nodes ?? []).map((node) => [node.name, node]));
  const nodes = shipped.nodes.map((original) => {
    const node = structuredClone(original);
    if (node.credentials) {
      for (const type of Object.keys(node.credentials)) {
        if (credentials[type]) node.credentials[type] = { id: credentials[type].id, name: credentials[type].name };
        else delete node.credentials[type];
      }
    }
    // A webhook id is the trigger's address: the same workflow keeps it, a new one gets its own, so a
    // second copy (imported another way) never collides with this one.
    if (node.webhookId) node.webhookId = before.get(node.name)?.webhookId ?? randomUUID();
    if (node.name === SETTINGS_NODE) {
      const kept = new Map((before.get(node.name)?.parameters?.assignments?.assignments ?? []).map((a) => [a.name, a.value]));
      for (const assignment of node.parameters.assignments.assignments) {
        if (settings[assignment.name] !== undefined) assignment.value = settings[assignment.name];
        else if (kept.get(assignment.name)) assignment.value = kept.get(assignment.name);
      }
    }
    return node;
  });
  return { name: shipped.name, nodes, connections: shipped.connections, settings: shipped.settings ?? {} };
}

/** The Settings values of a bound workflow that are still empty. */
export function missingSettings(body) {
  const node = body.nodes.find((n) => n.name === SETTINGS_NODE);
  return (node?.parameters.assignments.assignments ?? []).filter((a) => a.value === '').map((a) => a.name);
}

/** Started by a Home–School Bridge event (rather than a schedule or by hand). */
export function isEventTriggered(workflow) {
  return workflow.nodes.some((n) => n.type.endsWith('.homeSchoolBridgeTrigger'));
}

/** Starts by itself (a schedule or an event), so publishing it means something. */
export function hasAutomaticTrigger(workflow) {
  return workflow.nodes.some((n) => /Trigger$/.test(n.type) && n.type !== 'n8n-nodes-base.manualTrigger');
}
