import type { Dag } from './graph.js';

/** The DAG as text: stages in run order, each with the stages it needs (`train <- prepare`). */
export function formatDagText(dag: Dag): string {
  return dag.order
    .map((stage) => {
      const ups = dag.order.filter((s) => dag.upstream.get(stage.name)!.has(s.name)).map((s) => s.name);
      return ups.length === 0 ? stage.name : `${stage.name} <- ${ups.join(', ')}`;
    })
    .join('\n');
}

// Mermaid labels are quoted strings; a double quote inside one must be an entity.
const label = (text: string) => `"${text.replace(/"/g, '#quot;')}"`;

/** The DAG as a Mermaid flowchart (https://mermaid.js.org/syntax/flowchart.html), top to bottom. */
export function formatDagMermaid(dag: Dag): string {
  const ids = new Map(dag.order.map((s, i) => [s.name, `s${i}`]));
  const lines = ['flowchart TD'];
  for (const stage of dag.order) lines.push(`  ${ids.get(stage.name)}[${label(stage.name)}]`);
  for (const stage of dag.order)
    for (const down of dag.order)
      if (dag.downstream.get(stage.name)!.has(down.name))
        lines.push(`  ${ids.get(stage.name)} --> ${ids.get(down.name)}`);
  return lines.join('\n');
}
