/**
 * The plan of a flow of steps, derived from what each step needs and produces (CumulusCI's flows
 * declare their tasks' options; here each step declares its inputs and outputs, and the order and the
 * parallel groups follow from them). Nothing here knows about orgs: setupSteps.ts declares the steps,
 * stepRunner.ts runs them.
 */
import { ToolError } from '../core/ToolError.ts';

export interface PlanNode {
  id: string;
  needs: readonly string[];
  produces: readonly string[];
}

export interface Plan {
  /** Every step after the steps it needs, in the order declared where the needs leave a choice (--serial runs this). */
  order: string[];
  /** Groups in order: a group's steps need only what earlier groups produce, so they can run together. */
  groups: string[][];
  /** For each step, the steps whose products it needs. */
  dependsOn: Map<string, string[]>;
}

const invalid = (message: string, fix: string) => new ToolError(message, 'StepPlanInvalid', [fix]);

/**
 * Orders `nodes` by their needs. A need no step produces (and `given` lacks), a product two steps
 * claim, or steps that need each other's products are errors naming the steps.
 */
export function planSteps(nodes: readonly PlanNode[], given: readonly string[] = []): Plan {
  const producer = new Map<string, string>();
  const ids = new Set<string>();
  for (const node of nodes) {
    if (ids.has(node.id)) throw invalid(`Two steps are named "${node.id}".`, 'Give each step its own id.');
    ids.add(node.id);
    for (const product of node.produces) {
      const other = producer.get(product);
      if (other)
        throw invalid(
          `Steps "${other}" and "${node.id}" both produce "${product}".`,
          `Let one step produce "${product}" and the other need it.`,
        );
      producer.set(product, node.id);
    }
  }
  const dependsOn = new Map<string, string[]>();
  for (const node of nodes) {
    const deps: string[] = [];
    for (const need of node.needs) {
      const from = producer.get(need);
      if (from === node.id)
        throw invalid(`Step "${node.id}" needs "${need}", which it produces itself.`, `Remove "${need}" from the needs of "${node.id}".`);
      if (from === undefined) {
        if (given.includes(need)) continue;
        throw invalid(
          `Step "${node.id}" needs "${need}", which no step produces.`,
          `Add a step that produces "${need}", or remove it from the needs of "${node.id}".`,
        );
      }
      if (!deps.includes(from)) deps.push(from);
    }
    dependsOn.set(node.id, deps);
  }
  const cycle = findCycle(
    nodes.map((n) => n.id),
    dependsOn,
  );
  if (cycle) {
    throw invalid(
      `Steps ${cycle.map((id) => `"${id}"`).join(' → ')} need each other's products: a cycle.`,
      `Split one of them so that it needs nothing a later step produces.`,
    );
  }
  // Depth of each step: 0 without dependencies, else one more than its deepest dependency.
  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const d = Math.max(-1, ...dependsOn.get(id)!.map(depthOf)) + 1;
    depth.set(id, d);
    return d;
  };
  const groups: string[][] = [];
  for (const node of nodes) (groups[depthOf(node.id)] ??= []).push(node.id);
  // Declaration order where it is consistent with the needs: the first declared step whose dependencies are placed.
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < nodes.length) {
    const next = nodes.find((n) => !placed.has(n.id) && dependsOn.get(n.id)!.every((d) => placed.has(d)))!;
    order.push(next.id);
    placed.add(next.id);
  }
  return { order, groups, dependsOn };
}

/** The first cycle found by depth-first search, as the path of step ids that closes it. */
function findCycle(ids: string[], dependsOn: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const dep of dependsOn.get(id)!) {
      const found = visit(dep);
      if (found) return found;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of ids) {
    const found = visit(id);
    if (found) return found.reverse();
  }
  return undefined;
}
